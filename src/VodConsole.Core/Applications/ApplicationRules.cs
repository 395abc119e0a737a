using VodConsole.Core.Common;

namespace VodConsole.Core.Applications;

/// <summary>The limits an application's fields and the account's sub-application count must keep.</summary>
public static class ApplicationRules
{
    public const int NameMaxLength = 40;
    public const int DescriptionMaxLength = 300;
    public const int MaxSubApplications = 50;

    /// <summary>Returns the trimmed name, or throws with a message for the operator.</summary>
    public static string ValidName(string? name) =>
        TextRules.Required(name, NameMaxLength, "Enter a name for the application.", "name", nameof(Application.Name));

    /// <summary>Returns the trimmed description (empty when none), or throws with a message for the operator.</summary>
    public static string ValidDescription(string? description) =>
        TextRules.Optional(description, DescriptionMaxLength, "description", nameof(Application.Description));
}
