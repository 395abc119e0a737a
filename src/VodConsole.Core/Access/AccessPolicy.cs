using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Access;

/// <summary>
/// The one check every changing operation makes first. It acts for the user of the current <see cref="RoleContext"/>:
/// the circuit's layout or an HTTP endpoint (<c>EndpointRoles</c>) puts the user's catalog there, the API middleware the
/// key's. System work — background workers, start-up, seeding — declares itself (<see cref="SystemScope"/>) and is not
/// checked. A scope with none of these fails closed: every check refuses it.
/// The answer is read from the database each time (one indexed query), never from the catalog loaded at the last
/// navigation, so a grant revoked a moment ago already refuses the next change in a tab that is still open. A grant
/// past its expiry counts for nothing from that instant, before the lapse worker removes it. An administrator viewing
/// as another user (<see cref="ViewAsMark"/>) reads with that user's rights and may change nothing at all.
/// </summary>
public sealed class AccessPolicy(IDbContextFactory<VodDbContext> dbFactory, RoleContext roles, TimeProvider clock)
{
    public const string ReadOnlyMessage = "You have read-only access to this application.";
    public const string AdministratorMessage = "Only an administrator may do this.";
    public const string NotFoundMessage = "There is no such application.";
    public const string SelfMessage = "You can change only your own sign-in settings.";
    public const string SystemMessage = "This runs in the background only.";
    public const string OwnerMessage = "Only the account owner can enable sub-applications.";
    public const string NoCallerMessage = "Nobody is signed in: this request does not say who it acts for.";

    /// <summary>The user the current scope acts for (while viewing as someone, them); null for system work and for an API key.</summary>
    public string? UserId => roles.ApiKey is null ? roles.Catalog?.UserId : null;

    /// <summary>Set while an administrator views the console as another user: every change is refused.</summary>
    public ViewAsMark? ViewAs => roles.ApiKey is null ? roles.Catalog?.ViewAs : null;

    /// <summary>The refusal of every change while viewing as someone.</summary>
    public static string ViewAsMessage(string viewedUser) =>
        $"Read-only: you are viewing as {viewedUser}. Stop viewing to make changes.";

    /// <summary>Refuses unless the caller may change the current role's application.</summary>
    public Task RequireWriteAsync(CancellationToken ct = default)
    {
        RequireCaller(); // before the role: a scope without a caller has none, and must read as refused
        return RequireWriteAsync(roles.CurrentApplicationId, ct);
    }

    /// <summary>Refuses unless the caller may change the given application (the destination of a move, an endpoint's).</summary>
    public Task RequireWriteAsync(long applicationId, CancellationToken ct = default)
    {
        RefuseViewAs();
        return RequireFullAccessAsync(applicationId, ct);
    }

    /// <summary>
    /// Refuses unless the caller has full access to the application, for reads that need that much (an application's
    /// audit log): an administrator viewing as a full-access user reads them as that user would.
    /// </summary>
    public async Task RequireFullAccessAsync(long applicationId, CancellationToken ct = default)
    {
        if (!await MayWriteAsync(applicationId, ct))
        {
            throw new AccessDeniedException(roles.HasCaller ? ReadOnlyMessage : NoCallerMessage);
        }
    }

    /// <summary>
    /// Refuses unless the caller may see the given application (any grant, or Administrator). For operations that take an
    /// application ID from their caller instead of the role the layout resolved; refused reads answer as not found.
    /// </summary>
    public async Task RequireReadAsync(long applicationId, CancellationToken ct = default)
    {
        if (!await MayReadAsync(applicationId, ct))
        {
            throw new AccessDeniedException(roles.HasCaller ? NotFoundMessage : NoCallerMessage);
        }
    }

    /// <summary>Whether the caller may see the application: declared system work, a user with any grant (or Administrator), or such a key.</summary>
    public async Task<bool> MayReadAsync(long applicationId, CancellationToken ct = default) =>
        roles.ApiKey is { } key ? await KeyMayAsync(key.Id, applicationId, write: false, ct)
        : UserId is { } userId ? await CanReadAsync(userId, applicationId, ct)
        : roles.IsSystem;

    /// <summary>Refuses unless the caller may see the whole account (null: Administrators) or the given application.</summary>
    public Task RequireReadAsync(long? applicationId, CancellationToken ct = default) =>
        applicationId is { } id ? RequireReadAsync(id, ct) : RequireAdministratorAsync(ct);

    /// <summary>
    /// Refuses a user acting for another user, and any API key (their own sign-in settings are people's). The account
    /// pages run outside any console role and pass the signed-in user's ID from the cookie; in a role the policy compares it.
    /// </summary>
    public void RequireSelf(string userId)
    {
        RefuseViewAs();
        if (roles.ApiKey is not null || !roles.HasCaller || (UserId is { } actor && actor != userId))
        {
            throw new AccessDeniedException(SelfMessage);
        }
    }

    /// <summary>Refuses any change while an administrator views as someone, whatever that user may do.</summary>
    public void RefuseViewAs()
    {
        if (ViewAs is not null)
        {
            throw new AccessDeniedException(ViewAsMessage(roles.Catalog!.UserName));
        }
    }

    /// <summary>Refuses a scope without a caller: for facts any user, key or system work may read.</summary>
    public void RequireCaller()
    {
        if (!roles.HasCaller)
        {
            throw new AccessDeniedException(NoCallerMessage);
        }
    }

    /// <summary>Refuses every user and key: for background work (processing, pulls) that no page or request may start.</summary>
    public void RequireSystem()
    {
        if (!roles.IsSystem)
        {
            throw new AccessDeniedException(SystemMessage);
        }
    }

    /// <summary>
    /// Whether the current scope may change the application: declared system work, a user with full access, or such a
    /// key. A scope without a caller may not.
    /// </summary>
    public Task<bool> MayWriteAsync(long applicationId, CancellationToken ct = default) =>
        roles.ApiKey is { } key ? KeyMayAsync(key.Id, applicationId, write: true, ct)
        : UserId is { } userId ? CanWriteAsync(userId, applicationId, ct)
        : Task.FromResult(roles.IsSystem);

    /// <summary>Refuses unless the caller is an Administrator or an account key (the Admin role's pages, user management).</summary>
    public async Task RequireAdministratorAsync(CancellationToken ct = default)
    {
        RefuseViewAs(); // nobody viewed is an Administrator (ViewAsService); this says why with the view's own words
        var allowed = roles.ApiKey is { } key
            ? await KeyMayAsync(key.Id, applicationId: null, write: true, ct)
            : UserId is { } userId ? await IsAdministratorAsync(userId, ct)
            : roles.IsSystem;
        if (!allowed)
        {
            throw new AccessDeniedException(roles.HasCaller ? AdministratorMessage : NoCallerMessage);
        }
    }

    /// <summary>
    /// Every application the caller may see now, in the switcher's order, with the caller's access to each: an
    /// Administrator, an account key and system work see all of them; a user their granted ones (none while locked); an
    /// application key its own (none once disabled). Read from the database like every answer here, so a grant revoked a
    /// moment ago is already missing; never taken from a request. For reads that span applications
    /// (<see cref="Media.Search.CrossApplicationMediaSearch"/>); a scope without a caller is refused.
    /// </summary>
    public async Task<IReadOnlyList<ConsoleRole>> ReadableApplicationsAsync(CancellationToken ct = default)
    {
        RequireCaller();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subApplications = await db.Accounts.Select(a => a.SubApplicationsEnabled).SingleAsync(ct);
        var applications = db.Applications.AsNoTracking().Where(a => subApplications || a.Kind == ApplicationKind.Primary);
        Dictionary<long, ApplicationAccess>? grants = null; // null: every application, in full
        if (roles.ApiKey is { } caller)
        {
            var key = await db.ApiKeys.Where(k => k.Id == caller.Id && k.IsEnabled)
                .Select(k => new { k.ApplicationId, k.Access }).SingleOrDefaultAsync(ct);
            if (key is null)
            {
                return [];
            }
            if (key.ApplicationId is { } own)
            {
                grants = new() { [own] = key.Access };
            }
        }
        else if (UserId is { } userId)
        {
            var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.LockoutEnd, u.IsAdministrator }).SingleOrDefaultAsync(ct);
            if (user is null || IsLockedOut(user.LockoutEnd))
            {
                return [];
            }
            if (!user.IsAdministrator)
            {
                grants = await db.ApplicationGrants.Where(g => g.UserId == userId).ToDictionaryAsync(g => g.ApplicationId, g => g.Access, ct);
            }
        }
        if (grants is not null)
        {
            var ids = grants.Keys.ToList();
            applications = applications.Where(a => ids.Contains(a.Id));
        }
        return (await applications.OrderByListPosition().ToListAsync(ct))
            .Select(a => ConsoleRole.For(a, grants?[a.Id] ?? ApplicationAccess.Full))
            .ToList();
    }

    public async Task<bool> CanWriteAsync(string userId, long applicationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grants = db.ApplicationGrants.Active(Now);
        var user = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.LockoutEnd,
                Allowed = u.IsAdministrator || grants.Any(
                    g => g.UserId == userId && g.ApplicationId == applicationId && g.Access == ApplicationAccess.Full),
            })
            .FirstOrDefaultAsync(ct);
        return user is { Allowed: true } && !IsLockedOut(user.LockoutEnd);
    }

    public async Task<bool> CanReadAsync(string userId, long applicationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grants = db.ApplicationGrants.Active(Now);
        var user = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.LockoutEnd,
                Allowed = u.IsAdministrator || grants.Any(g => g.UserId == userId && g.ApplicationId == applicationId),
            })
            .FirstOrDefaultAsync(ct);
        return user is { Allowed: true } && !IsLockedOut(user.LockoutEnd);
    }

    private async Task<bool> IsAdministratorAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new { u.LockoutEnd, u.IsAdministrator })
            .FirstOrDefaultAsync(ct);
        return user is { IsAdministrator: true } && !IsLockedOut(user.LockoutEnd);
    }

    /// <summary>
    /// An API key may see an application if it is still enabled and is the account's or that application's, and change
    /// it with Full rights too; only an account key acts as an Administrator (<paramref name="applicationId"/> null). A key
    /// whose responsible user's grant on its application has expired stops with it, before the lapse worker disables it.
    /// </summary>
    private async Task<bool> KeyMayAsync(long keyId, long? applicationId, bool write, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        return await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.IsEnabled
            && (k.ApplicationId == null
                || (applicationId != null && k.ApplicationId == applicationId && (!write || k.Access == ApplicationAccess.Full)))
            && !db.ApplicationGrants.Any(g => g.UserId == k.ResponsibleUserId && g.ApplicationId == k.ApplicationId && g.ExpiresAt <= now), ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A locked user changes nothing more, even in the seconds before their tab is signed out (an administrator's lock ends
    /// sessions; a lockout after failed sign-ins leaves the session signed in but without access).
    /// </summary>
    private bool IsLockedOut(DateTimeOffset? lockoutEnd) => lockoutEnd > clock.GetUtcNow();
}
