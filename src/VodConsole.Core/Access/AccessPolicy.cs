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

    /// <summary>The user the current scope acts for; null for system work and for an API key.</summary>
    public string? UserId => roles.ApiKey is null ? roles.Catalog?.UserId : null;

    /// <summary>Refuses unless the user may change the current role's application.</summary>
    public Task RequireWriteAsync(CancellationToken ct = default) => RequireWriteAsync(roles.CurrentApplicationId, ct);

    /// <summary>Refuses unless the user may change the given application (the destination of a move, an endpoint's).</summary>
    public async Task RequireWriteAsync(long applicationId, CancellationToken ct = default)
    {
        if (roles.ApiKey is { } key)
        {
            if (!await KeyMayAsync(key.Id, applicationId, ct))
            {
                throw new AccessDeniedException(ReadOnlyMessage);
            }
            return;
        }
        if (UserId is { } userId && !await CanWriteAsync(userId, applicationId, ct))
        {
            throw new AccessDeniedException(ReadOnlyMessage);
        }
    }

    /// <summary>Refuses unless the user is an Administrator (the Admin role's pages, user management).</summary>
    public async Task RequireAdministratorAsync(CancellationToken ct = default)
    {
        if (roles.ApiKey is { } key)
        {
            if (!await KeyMayAsync(key.Id, applicationId: null, ct))
            {
                throw new AccessDeniedException(AdministratorMessage);
            }
            return;
        }
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
    /// An API key may change an application if it is still enabled and is the account's, or that application's with
    /// Full rights; only an account key acts as an Administrator (<paramref name="applicationId"/> null).
    /// </summary>
    private async Task<bool> KeyMayAsync(long keyId, long? applicationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.IsEnabled
            && (k.ApplicationId == null
                || (applicationId != null && k.ApplicationId == applicationId && k.Access == ApplicationAccess.Full)), ct);
    }

    /// <summary>A locked user's open tab changes nothing more, though its sign-in lasts until the next revalidation.</summary>
    private bool IsLockedOut(DateTimeOffset? lockoutEnd) => lockoutEnd > clock.GetUtcNow();
}
