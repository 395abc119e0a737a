namespace VodConsole.Core.Common;

/// <summary>
/// A request broke a domain rule. The message is written for the operator and is shown as it is.
/// </summary>
public class DomainRuleException(string message, string? field = null) : Exception(message)
{
    /// <summary>The input the rule is about, when there is one (for placing the message next to it).</summary>
    public string? Field { get; } = field;
}
