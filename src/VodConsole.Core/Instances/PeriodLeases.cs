using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Instances;

/// <summary>
/// Runs once-per-period work once per period across every instance on the database (see <see cref="PeriodLease"/>).
/// Plain conditional updates and inserts through EF, so any provider does it the same way.
/// </summary>
public sealed class PeriodLeases(ApplicationData data, InstanceIdentity instance, AccessPolicy access, TimeProvider clock)
{
    /// <summary>
    /// Takes this period of <paramref name="kind"/> if it is due (the previous one started <paramref name="period"/> ago or
    /// more, or the work never ran): true means this instance runs it now, and nobody else does until the next period.
    /// </summary>
    public async Task<bool> TryStartAsync(string kind, TimeSpan period, CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = Now;
        var next = now + period;
        await using var db = await data.OpenSystemWideAsync(ct);
        var taken = await db.PeriodLeases.Where(l => l.Kind == kind && l.NextRunAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, instance.Id).SetProperty(l => l.NextRunAt, next), ct);
        if (taken == 1)
        {
            return true;
        }
        if (await db.PeriodLeases.AnyAsync(l => l.Kind == kind, ct))
        {
            return false; // another instance runs this period, or this one did
        }
        db.PeriodLeases.Add(new PeriodLease { Kind = kind, Holder = instance.Id, NextRunAt = next });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // the first run ever, and another instance inserted the row first: it runs this period
        }
    }

    /// <summary>
    /// Gives the period back after a failed or interrupted run, so the next instance to look (this one included) runs it
    /// again instead of a period later.
    /// </summary>
    public async Task ReleaseAsync(string kind, CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = Now;
        await using var db = await data.OpenSystemWideAsync(ct);
        await db.PeriodLeases.Where(l => l.Kind == kind && l.Holder == instance.Id && l.NextRunAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.NextRunAt, now), ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
