using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;

namespace VodConsole.Core.Roles;

/// <summary>
/// Builds a user's <see cref="RoleCatalog"/>: only the roles the user may use (Administrators: Admin and every
/// application in full; others: their granted applications that have not expired), and remembers the role they last
/// worked in. An administrator viewing as another user gets that user's catalog, marked (<see cref="ViewAsMark"/>).
/// </summary>
public sealed class RoleResolver(IDbContextFactory<VodDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="userId">The signed-in user (the cookie's).</param>
    public async Task<RoleCatalog?> LoadCatalogAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await ViewAsService.Live(db, now).Where(s => s.AdministratorId == userId)
                .Join(db.Users, s => s.AdministratorId, u => u.Id, (s, u) => new { s.ViewedUserId, s.EndsAt, u.UserName })
                .FirstOrDefaultAsync(ct) is { } view
            && await LoadOwnAsync(db, view.ViewedUserId, now, ct) is { } viewed)
        {
            return viewed with { ViewAs = new ViewAsMark(userId, view.UserName ?? "", view.EndsAt) };
        }
        return await LoadOwnAsync(db, userId, now, ct);
    }

    private static async Task<RoleCatalog?> LoadOwnAsync(VodDbContext db, string userId, DateTime now, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.UserName, u.IsOwner, u.IsAdministrator, u.LastRole })
            .SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(ct);
        var applications = await db.Applications.AsNoTracking().OrderByListPosition().ToListAsync(ct);

        var grants = user.IsAdministrator
            ? []
            : await db.ApplicationGrants.AsNoTracking()
                .Active(now).Where(g => g.UserId == userId)
                .ToDictionaryAsync(g => g.ApplicationId, g => g.Access, ct);
        var visible = account.SubApplicationsEnabled ? applications : applications.Where(a => a.IsPrimary);

        var roles = new List<ConsoleRole>(applications.Count + 1);
        if (user.IsAdministrator)
        {
            if (account.SubApplicationsEnabled)
            {
                roles.Add(ConsoleRole.Admin);
            }
            roles.AddRange(visible.Select(a => ConsoleRole.For(a)));
        }
        else
        {
            roles.AddRange(visible
                .Where(a => grants.ContainsKey(a.Id))
                .Select(a => ConsoleRole.For(a, grants[a.Id])));
        }

        return new RoleCatalog(
            user.Id, user.UserName ?? "", user.IsOwner, user.LastRole,
            account.SubApplicationsEnabled, account.BillingMode, account.ServiceStatus, roles);
    }

    public async Task RememberLastRoleAsync(string userId, ConsoleRole role, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = role.Key;
        await db.Users
            .Where(u => u.Id == userId && (u.LastRole == null || u.LastRole != key))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastRole, key), ct);
    }
}
