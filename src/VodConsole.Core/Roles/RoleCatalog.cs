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
    IReadOnlyList<ConsoleRole> Roles)
{
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
        && Roles.SequenceEqual(other.Roles);

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
