using VodConsole.Core.Accounts;
using VodConsole.Core.Common;

namespace VodConsole.Core.Applications;

/// <summary>The limits an application's fields and the account's sub-application count must keep.</summary>
public static class ApplicationRules
{
    public const int NameMaxLength = 40;
    public const int DescriptionMaxLength = 300;
    public const int MaxSubApplications = 50;

    /// <summary>
    /// Why an application cannot be moved to <paramref name="status"/> (null when it can): one answer for the Applications
    /// page, which disables the button with this reason, and <see cref="ApplicationService.SetStatusAsync"/>, which refuses.
    /// </summary>
    public static string? WhyNotSetStatus(Application application, ApplicationStatus status, ServiceStatus service) =>
        application.IsPrimary && status == ApplicationStatus.Disabled ? "The primary application cannot be disabled."
        : service == ServiceStatus.Suspended ? "The service is suspended, so every application stays disabled. Resume the service first."
        : null;

    /// <summary>Returns the trimmed name, or throws with a message for the operator.</summary>
    public static string ValidName(string? name) =>
        TextRules.Required(name, NameMaxLength, "Enter a name for the application.", "name", nameof(Application.Name));

    /// <summary>Returns the trimmed description (empty when none), or throws with a message for the operator.</summary>
    public static string ValidDescription(string? description) =>
        TextRules.Optional(description, DescriptionMaxLength, "description", nameof(Application.Description));
}
