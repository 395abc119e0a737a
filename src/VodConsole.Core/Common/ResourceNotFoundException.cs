namespace VodConsole.Core.Common;

/// <summary>
/// What an operation was asked to act on does not exist, or belongs to an application the caller may not see (the two
/// are never told apart). A kind of <see cref="DomainRuleException"/>, so pages show its message like any refused rule;
/// the server API answers it with <c>ResourceNotFound.{Resource}</c>.
/// </summary>
public sealed class ResourceNotFoundException(string resource, string message) : DomainRuleException(message)
{
    /// <summary>What was not found, as the API's error code names it ("Media").</summary>
    public string Resource { get; } = resource;
}
