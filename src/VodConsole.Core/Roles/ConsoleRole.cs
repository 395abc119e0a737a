using System.Globalization;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;

namespace VodConsole.Core.Roles;

/// <summary>
/// One entry of the role switcher: Admin, or one application. The <see cref="Key"/> is what the route and the
/// user's remembered last role carry. <see cref="Access"/> is what the user may do in it when the catalog was loaded; it
/// decides what the pages offer, while services check the database again before every change (<see cref="AccessPolicy"/>).
/// </summary>
public sealed record ConsoleRole(
    long? ApplicationId, string Name, ApplicationKind? Kind, ApplicationStatus? Status, bool IsDemo,
    ApplicationAccess Access = ApplicationAccess.Full)
{
    public const string AdminKey = "admin";

    public static ConsoleRole Admin { get; } = new(null, "Admin", null, null, false);

    public static ConsoleRole For(Application application, ApplicationAccess access = ApplicationAccess.Full) =>
        new(application.Id, application.Name, application.Kind, application.Status, application.IsDemo, access);

    /// <summary>Whether the pages offer changes (create, edit, delete, upload) in this role.</summary>
    public bool CanWrite => Access == ApplicationAccess.Full;

    public bool IsAdmin => ApplicationId is null;
    public bool IsPrimary => Kind == ApplicationKind.Primary;
    public bool IsDisabled => Status == ApplicationStatus.Disabled;

    public string Key => ApplicationId?.ToString(CultureInfo.InvariantCulture) ?? AdminKey;

    /// <summary>The route prefix of this role's pages.</summary>
    public string BasePath => IsAdmin ? "/admin" : $"/apps/{Key}";

    public string OverviewPath => BasePath + "/overview";
}
