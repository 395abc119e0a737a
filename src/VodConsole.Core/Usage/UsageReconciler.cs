using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Usage;

/// <summary>
/// The safety net under the storage figures. Uploads, deletes and moves change the levels in the transaction that
/// changes the rows, so the two cannot drift; this compares them anyway (at start and hourly) and sets today's level
/// from the rows wherever they disagree: an older version's crash, a row changed by hand. Demo applications too: their
/// media are real uploads, only their play and traffic history before they were created is made up.
/// </summary>
public sealed class UsageReconciler(ApplicationData data, UsageRecorder usage, AccessPolicy access, ILogger<UsageReconciler> logger)
{
    /// <summary>Returns how many application figures were corrected.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var today = usage.Today;
        // System-wide on purpose: the figures of every application are compared with that application's rows.
        await using var db = await data.OpenSystemWideAsync(ct);
        List<Drift> drifts;
        // One read transaction: the sums and the levels are read from the same snapshot, so an upload committing
        // meanwhile cannot look like drift.
        await using (var snapshot = await db.Database.BeginTransactionAsync(ct))
        {
            var actual = await db.Media.AsNoTracking()
                .GroupBy(m => m.ApplicationId)
                .Select(g => new { ApplicationId = g.Key, Bytes = g.Sum(m => m.SizeBytes), Count = (long)g.Count() })
                .ToDictionaryAsync(a => a.ApplicationId, ct);
            // Storage counts the derivative files of transcoding too.
            var outputs = await db.TranscodeJobs.AsNoTracking().Where(j => j.OutputKey != null)
                .GroupBy(j => j.ApplicationId)
                .Select(g => new { ApplicationId = g.Key, Bytes = g.Sum(j => j.OutputBytes) })
                .ToDictionaryAsync(a => a.ApplicationId, a => a.Bytes, ct);
            var applications = await db.Applications.AsNoTracking().Select(a => a.Id).ToListAsync(ct);
            drifts = [];
            foreach (var applicationId in applications)
            {
                var rows = actual.GetValueOrDefault(applicationId);
                await AddDriftAsync(db, drifts, applicationId, UsageMetric.StorageBytes, (rows?.Bytes ?? 0) + outputs.GetValueOrDefault(applicationId), today, ct);
                await AddDriftAsync(db, drifts, applicationId, UsageMetric.MediaCount, rows?.Count ?? 0, today, ct);
            }
            await snapshot.CommitAsync(ct);
        }

        foreach (var drift in drifts)
        {
            // Recomputed inside the statement that writes it, so a change committed since the snapshot is counted too.
            await db.Database.ExecuteSqlRawAsync(drift.Metric == UsageMetric.StorageBytes ? SetStorageSql : SetCountSql,
                [drift.ApplicationId, drift.Metric.ToString(), today], ct);
            logger.LogWarning("Corrected {Metric} of application {ApplicationId} from {Recorded} to the {Actual} its media rows hold.",
                drift.Metric, drift.ApplicationId, drift.Recorded, drift.Actual);
        }
        return drifts.Count;
    }

    private sealed record Drift(long ApplicationId, UsageMetric Metric, long Recorded, long Actual);

    private static async Task AddDriftAsync(
        VodDbContext db, List<Drift> drifts, long applicationId, UsageMetric metric, long actual, DateOnly today, CancellationToken ct)
    {
        var recorded = await db.DailyUsage.AsNoTracking()
            .Where(u => u.ApplicationId == applicationId && u.Metric == metric && u.Day <= today)
            .OrderByDescending(u => u.Day)
            .Select(u => (long?)u.Value)
            .FirstOrDefaultAsync(ct) ?? 0;
        if (recorded != actual)
        {
            drifts.Add(new Drift(applicationId, metric, recorded, actual));
        }
    }

    private const string SetLevel =
        "INSERT INTO \"DailyUsage\" (\"ApplicationId\", \"Metric\", \"Day\", \"Value\") VALUES ({0}, {1}, {2}, (SELECT ";
    private const string FromRows = " FROM \"Media\" WHERE \"ApplicationId\" = {0})) "
        + "ON CONFLICT (\"ApplicationId\", \"Metric\", \"Day\") DO UPDATE SET \"Value\" = excluded.\"Value\"";
    private const string SetStorageSql = SetLevel + "COALESCE(SUM(\"SizeBytes\"), 0) + (SELECT COALESCE(SUM(\"OutputBytes\"), 0) "
        + "FROM \"TranscodeJobs\" WHERE \"ApplicationId\" = {0} AND \"OutputKey\" IS NOT NULL)" + FromRows;
    private const string SetCountSql = SetLevel + "COUNT(*)" + FromRows;
}
