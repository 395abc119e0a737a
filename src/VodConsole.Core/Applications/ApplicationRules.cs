using VodConsole.Core.Common;

namespace VodConsole.Core.Applications;

/// <summary>The limits an application's fields and the account's sub-application count must keep.</summary>
public static class ApplicationRules
{
    public const int NameMaxLength = 40;
    public const int DescriptionMaxLength = 300;
    public const int MaxSubApplications = 50;

    /// <summary>Returns the trimmed name, or throws with a message for the operator.</summary>
    public static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainRuleException("Enter a name for the application.", nameof(Application.Name));
        }
        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainRuleException(
                $"The name is {trimmed.Length} characters long; at most {NameMaxLength} are allowed.", nameof(Application.Name));
        }
        return trimmed;
    }

    /// <summary>Returns the trimmed description (empty when none), or throws with a message for the operator.</summary>
    public static string ValidDescription(string? description)
    {
        var trimmed = description?.Trim() ?? "";
        if (trimmed.Length > DescriptionMaxLength)
        {
            throw new DomainRuleException(
                $"The description is {trimmed.Length} characters long; at most {DescriptionMaxLength} are allowed.",
                nameof(Application.Description));
        }
        return trimmed;
    }
}
