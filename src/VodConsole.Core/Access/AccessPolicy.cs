using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Access;

/// <summary>
/// The one check every changing operation makes first. It acts for the user of the current <see cref="RoleContext"/>:
/// the circuit's layout or an HTTP endpoint (<c>EndpointRoles</c>) puts the user's catalog there. A scope without a
/// catalog is system work — background workers, start-up, seeding — which no user drives and which is not checked.
/// The answer is read from the database each time (one indexed query), never from the catalog loaded at the last
/// navigation, so a grant revoked a moment ago already refuses the next change in a tab that is still open.
/// </summary>
public sealed class AccessPolicy(IDbContextFactory<VodDbContext> dbFactory, RoleContext roles, TimeProvider clock)
{
    public const string ReadOnlyMessage = "You have read-only access to this application.";
    public const string AdministratorMessage = "Only an administrator may do this.";
    public const string NotFoundMessage = "There is no such application.";
    public const string SelfMessage = "You can change only your own sign-in settings.";
    public const string SystemMessage = "This runs in the background only.";
    public const string OwnerMessage = "Only the account owner can enable sub-applications.";

    /// <summary>The user the current scope acts for; null for system work.</summary>
    public string? UserId => roles.Catalog?.UserId;

    /// <summary>Refuses unless the user may change the current role's application.</summary>
    public Task RequireWriteAsync(CancellationToken ct = default) => RequireWriteAsync(roles.CurrentApplicationId, ct);

    /// <summary>Refuses unless the user may change the given application (the destination of a move, an endpoint's).</summary>
    public async Task RequireWriteAsync(long applicationId, CancellationToken ct = default)
    {
        if (UserId is { } userId && !await CanWriteAsync(userId, applicationId, ct))
        {
            throw new AccessDeniedException(ReadOnlyMessage);
        }
    }

    /// <summary>
    /// Refuses unless the user may see the given application (any grant, or Administrator). For operations that take an
    /// application ID from their caller instead of the role the layout resolved; refused reads answer as not found.
    /// </summary>
    public async Task RequireReadAsync(long applicationId, CancellationToken ct = default)
    {
        if (UserId is { } userId && !await CanReadAsync(userId, applicationId, ct))
        {
            throw new AccessDeniedException(NotFoundMessage);
        }
    }

    /// <summary>Refuses unless the user may see the whole account (null: Administrators) or the given application.</summary>
    public Task RequireReadAsync(long? applicationId, CancellationToken ct = default) =>
        applicationId is { } id ? RequireReadAsync(id, ct) : RequireAdministratorAsync(ct);

    /// <summary>
    /// Refuses a user acting for another user (their own sign-in settings). The account pages run outside any console
    /// role and pass the signed-in user's ID from the cookie; in a console role the policy compares it.
    /// </summary>
    public void RequireSelf(string userId)
    {
        if (UserId is { } actor && actor != userId)
        {
            throw new AccessDeniedException(SelfMessage);
        }
    }

    /// <summary>Refuses every user: for background work (processing, pulls) that no page or endpoint may start.</summary>
    public void RequireSystem()
    {
        if (UserId is not null)
        {
            throw new AccessDeniedException(SystemMessage);
        }
    }

    /// <summary>Whether the current scope may change the application: system work, or a user with full access.</summary>
    public Task<bool> MayWriteAsync(long applicationId, CancellationToken ct = default) =>
        UserId is { } userId ? CanWriteAsync(userId, applicationId, ct) : Task.FromResult(true);

    /// <summary>Refuses unless the user is an Administrator (the Admin role's pages, user management).</summary>
    public async Task RequireAdministratorAsync(CancellationToken ct = default)
    {
        if (UserId is { } userId && !await IsAdministratorAsync(userId, ct))
        {
            throw new AccessDeniedException(AdministratorMessage);
        }
    }

    public async Task<bool> CanWriteAsync(string userId, long applicationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.LockoutEnd,
                Allowed = u.IsAdministrator || db.ApplicationGrants.Any(
                    g => g.UserId == userId && g.ApplicationId == applicationId && g.Access == ApplicationAccess.Full),
            })
            .FirstOrDefaultAsync(ct);
        return user is { Allowed: true } && !IsLockedOut(user.LockoutEnd);
    }

    public async Task<bool> CanReadAsync(string userId, long applicationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.LockoutEnd,
                Allowed = u.IsAdministrator || db.ApplicationGrants.Any(g => g.UserId == userId && g.ApplicationId == applicationId),
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

    /// <summary>A locked user's open tab changes nothing more, though its sign-in lasts until the next revalidation.</summary>
    private bool IsLockedOut(DateTimeOffset? lockoutEnd) => lockoutEnd > clock.GetUtcNow();
}
