using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Accounts;

/// <summary>The account's settings and the switch that turns on sub-applications.</summary>
public sealed class AccountService(IDbContextFactory<VodDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Account> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking().SingleAsync(ct);
    }

    /// <summary>
    /// Adds the Admin role and the role switcher. Nothing else changes: every existing media item stays in the
    /// primary application. Only the account owner may do it; doing it twice is harmless.
    /// </summary>
    public async Task EnableSubApplicationsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var isOwner = await db.Users.AnyAsync(u => u.Id == userId && u.IsOwner, ct);
        if (!isOwner)
        {
            throw new DomainRuleException("Only the account owner can enable sub-applications.");
        }

        var account = await db.Accounts.SingleAsync(ct);
        if (account.SubApplicationsEnabled)
        {
            return;
        }
        account.SubApplicationsEnabled = true;
        account.SubApplicationsEnabledAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }
}
