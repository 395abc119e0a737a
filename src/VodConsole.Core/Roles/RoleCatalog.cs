using VodConsole.Core.Accounts;

namespace VodConsole.Core.Roles;

/// <summary>
/// What one signed-in user may switch between, and the account facts the console shell shows. Loaded fresh on every
/// navigation by <see cref="RoleResolver"/>, so a change made elsewhere shows up at the next click.
/// </summary>
public sealed record RoleCatalog(
    string UserId,
    string UserName,
    bool UserIsOwner,
    string? LastRoleKey,
    bool SubApplicationsEnabled,
    BillingMode BillingMode,
    ServiceStatus ServiceStatus,
    IReadOnlyList<ConsoleRole> Roles,
    ViewAsMark? ViewAs = null)
{
    /// <summary>
    /// Who is signed in: the user of the catalog, or the administrator viewing as them (<see cref="ViewAs"/>), whose
    /// catalog this is when the tab reloads it.
    /// </summary>
    public string SignedInUserId => ViewAs?.AdministratorId ?? UserId;

    /// <summary>Whether an announced change may alter this catalog: its user's, or the viewing administrator's.</summary>
    public bool ConcernedBy(ConsoleChange change) =>
        change.AffectsCatalogOf(UserId) || (ViewAs is { } view && change.AffectsCatalogOf(view.AdministratorId));

    /// <summary>Before sub-applications are enabled the console is the primary application and has no switcher.</summary>
    public bool HasSwitcher => SubApplicationsEnabled;

    /// <summary>
    /// Whether this catalog offers what <paramref name="other"/> does (roles, their access and marks, account state): an
    /// open tab compares the catalog it shows with a fresh one and refreshes when they differ. The remembered last role
    /// is left out: it changes with every switch and shows nothing.
    /// </summary>
    public bool OffersTheSameAs(RoleCatalog? other) =>
        other is not null
        && (UserId, UserName, UserIsOwner, SubApplicationsEnabled, BillingMode, ServiceStatus)
            == (other.UserId, other.UserName, other.UserIsOwner, other.SubApplicationsEnabled, other.BillingMode, other.ServiceStatus)
        && Roles.SequenceEqual(other.Roles)
        && ViewAs == other.ViewAs;

    /// <summary>True for a user who may use no role at all yet (no grants): the console says so instead of a page.</summary>
    public bool IsEmpty => Roles.Count == 0;

    /// <summary>The role a route names, or null when that role does not exist for this user (shown as not found).</summary>
    public ConsoleRole? Resolve(RoleRoute route) => route.Kind switch
    {
        RoleRouteKind.Admin => Roles.FirstOrDefault(r => r.IsAdmin),
        RoleRouteKind.Application => Roles.FirstOrDefault(r => r.ApplicationId == route.ApplicationId),
        _ => null,
    };

    /// <summary>
    /// Where "/" goes: the last role if it still exists, else Admin if available, else the primary application, else the
    /// first application the user was granted; null when the user may use nothing.
    /// </summary>
    public ConsoleRole? DefaultRole =>
        Roles.FirstOrDefault(r => r.Key == LastRoleKey)
        ?? Roles.FirstOrDefault(r => r.IsAdmin)
        ?? Roles.FirstOrDefault(r => r.IsPrimary)
        ?? Roles.FirstOrDefault();
}

/// <summary>
/// Marks a catalog an administrator sees while viewing the console as its user, read-only (<see cref="Access.ViewAsService"/>):
/// every change is refused, and the shell shows a banner until <see cref="EndsAt"/> (UTC) or until they stop.
/// </summary>
public sealed record ViewAsMark(string AdministratorId, string AdministratorName, DateTime EndsAt);
