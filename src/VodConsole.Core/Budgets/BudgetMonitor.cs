using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;

namespace VodConsole.Core.Budgets;

/// <summary>
/// Announces budget thresholds: for every application with limits, each level (80, 100 %) its usage reached this
/// month gets one <see cref="BudgetNotice"/>, one audit entry and one <c>BudgetThreshold</c> callback event. Runs in the
/// background, woken when usage is recorded (<see cref="BudgetSignal"/>) and every minute, never on the request that
/// recorded the usage: playback stays a cheap path, and a burst of usage is evaluated once. The notice's key makes the
/// announcement idempotent across evaluations and servers; a new month announces afresh. Stopping uploads does not wait
/// for this: <see cref="BudgetRules.RefuseIfStoppedAsync"/> measures the usage itself.
/// </summary>
public sealed class BudgetMonitor(ApplicationData data, AccessPolicy access, AuditLog audit, CallbackEvents callbacks, TimeProvider clock)
{
    /// <summary>Evaluates every application with limits; returns how many notices it recorded.</summary>
    public async Task<int> EvaluateAllAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var month = BudgetRules.MonthOf(today);
        List<(long Id, string Name)> applications;
        await using (var db = await data.OpenSystemWideAsync(ct))
        {
            applications = (await db.ApplicationBudgets.AsNoTracking()
                .Join(db.Applications, b => b.ApplicationId, a => a.Id, (b, a) => new { a.Id, a.Name })
                .ToListAsync(ct)).Select(a => (a.Id, a.Name)).ToList();
        }

        var recorded = 0;
        foreach (var (id, name) in applications)
        {
            await using var db = await data.OpenForAsync(id, ct);
            var status = await BudgetRules.StatusAsync(db, id, name, today, ct);
            var notified = await db.BudgetNotices.Where(n => n.ApplicationId == id && n.Month == month)
                .Select(n => new { n.Dimension, n.Level }).ToListAsync(ct);
            foreach (var meter in status.Meters)
            {
                foreach (var level in BudgetRules.Levels.Where(l => meter.Level >= l && !notified.Contains(new { meter.Dimension, Level = l })))
                {
                    if (await AnnounceAsync(db, status, meter, level, ct))
                    {
                        recorded++;
                    }
                }
            }
        }
        return recorded;
    }

    /// <summary>Records the notice and its event in one save; false when another evaluation recorded it first.</summary>
    private async Task<bool> AnnounceAsync(VodDbContext db, BudgetStatus status, BudgetMeter meter, int level, CancellationToken ct)
    {
        db.BudgetNotices.Add(new BudgetNotice
        {
            ApplicationId = status.ApplicationId,
            Month = status.Month,
            Dimension = meter.Dimension,
            Level = level,
            NotifiedAt = clock.GetUtcNow().UtcDateTime,
        });
        var stops = level >= 100 && status.Edit.StopAtLimit;
        await callbacks.AddAsync(db, status.ApplicationId, CallbackEventType.BudgetThreshold, new
        {
            Dimension = meter.Dimension.ToString(),
            Level = level,
            Month = status.Month.ToString("yyyy-MM"),
            meter.Used,
            meter.Limit,
            Unit = Unit(meter.Dimension),
            UploadsStopped = stops,
        }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        await audit.RecordAsync(AuditActions.BudgetThresholdReached, status.ApplicationId,
            $"{BudgetRules.DisplayName(meter.Dimension)} of {status.ApplicationName}", null,
            new { Level = $"{level} %", Used = meter.UsedText, Limit = meter.LimitText, UploadsStopped = stops }, ct);
        return true;
    }

    private static string Unit(BudgetDimension dimension) => dimension switch
    {
        BudgetDimension.Budget => "currency",
        BudgetDimension.Transcode => "seconds",
        _ => "bytes",
    };
}
