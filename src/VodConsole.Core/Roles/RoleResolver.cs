using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;

namespace VodConsole.Core.Roles;

/// <summary>Builds a user's <see cref="RoleCatalog"/> and remembers the role they last worked in.</summary>
public sealed class RoleResolver(IDbContextFactory<VodDbContext> dbFactory)
{
    public async Task<RoleCatalog?> LoadCatalogAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.UserName, u.IsOwner, u.LastRole })
            .SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(ct);
        var applications = await db.Applications.AsNoTracking().OrderByListPosition().ToListAsync(ct);

        var roles = new List<ConsoleRole>(applications.Count + 1);
        if (account.SubApplicationsEnabled)
        {
            roles.Add(ConsoleRole.Admin);
            roles.AddRange(applications.Select(ConsoleRole.For));
        }
        else
        {
            roles.AddRange(applications.Where(a => a.IsPrimary).Select(ConsoleRole.For));
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
