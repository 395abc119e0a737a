using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Api;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

/// <summary>
/// Removes what ended by itself: grants past their expiry (<see cref="ApplicationGrant.ExpiresAt"/>) and view-as
/// sessions that are over (<see cref="ViewAsService.Live"/>). The checks ignore both from their end on already; this
/// tidies up, tells open tabs (each removal is an EF save, which the change feed announces), disables API keys the
/// user's remaining access no longer covers, and records each end once. System work only (the lapse worker).
/// </summary>
public sealed class AccessLapses(IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access, AuditLog audit, TimeProvider clock)
{
    /// <summary>Removes every grant and view-as session that is over; returns how many this call ended.</summary>
    public async Task<int> LapseDueAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = Now;
        List<long> grants;
        List<string> sessions;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            grants = await db.ApplicationGrants.Where(g => g.ExpiresAt <= now).Select(g => g.Id).ToListAsync(ct);
            var live = ViewAsService.Live(db, now).Select(s => s.AdministratorId);
            sessions = await db.ViewAsSessions.Where(s => !live.Contains(s.AdministratorId)).Select(s => s.AdministratorId).ToListAsync(ct);
        }
        var ended = 0;
        foreach (var id in grants)
        {
            ended += await LapseGrantAsync(id, now, ct) ? 1 : 0;
        }
        foreach (var administratorId in sessions)
        {
            ended += await EndViewAsync(administratorId, now, ct) ? 1 : 0;
        }
        return ended;
    }

    /// <summary>When the next grant or view-as session ends (UTC), or null when none will by itself.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grant = await db.ApplicationGrants.MinAsync(g => g.ExpiresAt, ct);
        var session = await db.ViewAsSessions.MinAsync(s => (DateTime?)s.EndsAt, ct);
        return grant is null ? session : session is null ? grant : grant < session ? grant : session;
    }

    /// <summary>Removes one lapsed grant; false when another worker did (the delete finds no row) or it was changed since.</summary>
    private async Task<bool> LapseGrantAsync(long id, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lapsed = await db.ApplicationGrants.Where(g => g.Id == id && g.ExpiresAt <= now)
            .Join(db.Users, g => g.UserId, u => u.Id, (g, u) => new { Grant = g, u.Email, u.IsAdministrator })
            .SingleOrDefaultAsync(ct);
        if (lapsed is null)
        {
            return false;
        }
        var grant = lapsed.Grant;
        db.ApplicationGrants.Remove(grant);
        var remaining = await db.ApplicationGrants.Active(now).Where(g => g.UserId == grant.UserId && g.Id != id)
            .ToDictionaryAsync(g => g.ApplicationId, g => g.Access, ct);
        var disabledKeys = await ApiKeyCustody.DisableUncoveredAsync(db, grant.UserId,
            key => ApiKeyCustody.Covers(lapsed.IsAdministrator, remaining, key),
            $"{lapsed.Email}, whose access this key follows, lost it when a grant expired ({now:yyyy-MM-dd HH:mm} UTC).", ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false; // another instance removed it first and records it
        }
        await audit.RecordAsync(AuditActions.AccessLapsed, grant.ApplicationId, AuditTargets.User(lapsed.Email ?? ""),
            new { Access = grant.Access.ToString(), grant.ExpiresAt }, new { Access = "None" }, ct);
        foreach (var key in disabledKeys)
        {
            await audit.RecordAsync(AuditActions.ApiKeyDisabled, key.ApplicationId, AuditTargets.ApiKey(key.KeyId, key.Name),
                new { IsEnabled = true }, new { IsEnabled = false, Reason = key.DisabledReason }, ct);
        }
        return true;
    }

    private async Task<bool> EndViewAsync(string administratorId, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var live = ViewAsService.Live(db, now).Select(s => s.AdministratorId);
        var over = await db.ViewAsSessions.Where(s => s.AdministratorId == administratorId && !live.Contains(s.AdministratorId))
            .Select(s => new
            {
                Session = s,
                Administrator = db.Users.Where(u => u.Id == s.AdministratorId).Select(u => new { u.Email, u.IsAdministrator }).Single(),
                Viewed = db.Users.Where(u => u.Id == s.ViewedUserId).Select(u => new { u.Email, u.IsAdministrator }).Single(),
            })
            .SingleOrDefaultAsync(ct);
        if (over is null)
        {
            return false;
        }
        db.ViewAsSessions.Remove(over.Session);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        var reason = !over.Administrator.IsAdministrator ? "The viewing user is no longer an administrator."
            : over.Viewed.IsAdministrator ? "The viewed user became an administrator."
            : "The time limit was reached.";
        await audit.RecordAsync(AuditActions.ViewAsEnded, null, AuditTargets.User(over.Viewed.Email ?? ""), null,
            new { Administrator = over.Administrator.Email, ViewedUser = over.Viewed.Email, Reason = reason }, ct);
        return true;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
