using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Budgets;
using VodConsole.Core.Data;

namespace VodConsole.Core.Usage;

/// <summary>
/// Writes the daily roll-ups as the system's events happen (an upload adds storage, a play adds traffic, ...).
/// Each write is one atomic upsert, so concurrent events on two servers never lose an update. Each wakes the budget
/// monitor (<see cref="BudgetSignal"/>), which evaluates thresholds in the background, off the recording request's path.
/// </summary>
public sealed class UsageRecorder(IDbContextFactory<VodDbContext> dbFactory, BudgetSignal budgets, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Adds an amount to a summed metric (traffic, plays, transcoding and review seconds).</summary>
    public async Task AddAsync(long applicationId, UsageMetric metric, long amount, DateOnly? day = null, CancellationToken ct = default)
    {
        await UpsertAsync(applicationId, metric, day ?? Today, amount, AddSql, ct);
        budgets.Notify();
    }

    /// <summary>
    /// Adds an amount to a summed metric in the caller's context and transaction, so the figure commits with the work it
    /// counts (a finished transcoding job) or not at all.
    /// </summary>
    public async Task AddAsync(VodDbContext db, long applicationId, UsageMetric metric, long amount, CancellationToken ct = default)
    {
        await UpsertAsync(db, applicationId, metric, Today, amount, AddSql, ct);
        budgets.Notify();
    }

    /// <summary>
    /// Changes a level (storage bytes, media count) by a delta, starting from the latest known level, in the caller's
    /// context and transaction: the figure commits with the rows it counts, or not at all, so a crash between the two
    /// cannot happen. One statement, so concurrent changes never lose an update.
    /// </summary>
    public async Task ChangeLevelAsync(VodDbContext db, long applicationId, UsageMetric metric, long delta, CancellationToken ct = default)
    {
        await db.Database.ExecuteSqlRawAsync(ChangeLevelSql, [applicationId, metric.ToString(), Today, delta], ct);
        budgets.Notify();
    }

    /// <summary>
    /// Counts what the playback domain delivered, per application and UTC minute (a batch <see cref="PlaybackMeter"/>
    /// merged), in one transaction: the day's traffic and plays, and each minute's total across servers, whose average
    /// rate is a bandwidth sample for the day's peak.
    /// </summary>
    public async Task AddPlaybackAsync(IEnumerable<PlaybackCount> counts, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (applicationId, minute, bytes, plays) in counts)
        {
            var day = DateOnly.FromDateTime(minute);
            if (plays > 0)
            {
                await UpsertAsync(db, applicationId, UsageMetric.Plays, day, plays, AddSql, ct);
            }
            if (bytes <= 0)
            {
                continue;
            }
            await UpsertAsync(db, applicationId, UsageMetric.TrafficBytes, day, bytes, AddSql, ct);
            await db.Database.ExecuteSqlRawAsync(AddMinuteSql, [applicationId, minute, bytes], ct);
            var minuteBytes = await db.TrafficMinutes
                .Where(t => t.ApplicationId == applicationId && t.Minute == minute).Select(t => t.Bytes).SingleAsync(ct);
            await UpsertAsync(db, applicationId, UsageMetric.PeakBandwidthBps, day, minuteBytes * 8 / 60, MaxSql, ct);
            var expired = minute.AddDays(-1);
            await db.TrafficMinutes.Where(t => t.ApplicationId == applicationId && t.Minute < expired).ExecuteDeleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
        budgets.Notify();
    }

    /// <summary>Records a bandwidth sample; the day keeps its highest.</summary>
    public Task RecordPeakAsync(long applicationId, UsageMetric metric, long sample, DateOnly? day = null, CancellationToken ct = default) =>
        UpsertAsync(applicationId, metric, day ?? Today, sample, MaxSql, ct);

    /// <summary>Starts an application's levels at zero today, so it shows in statistics from the day it exists.</summary>
    public async Task StartApplicationAsync(long applicationId, CancellationToken ct = default)
    {
        foreach (var metric in UsageMetrics.All.Where(m => UsageMetrics.AggregationOf(m) == UsageAggregation.Level))
        {
            await UpsertAsync(applicationId, metric, Today, 0, KeepSql, ct);
        }
    }

    // One text for both engines: INSERT ... ON CONFLICT reads the same in SQLite and PostgreSQL, and the larger of two
    // values is a CASE (SQLite's two-argument MAX is PostgreSQL's GREATEST).
    private const string Upsert =
        "INSERT INTO \"DailyUsage\" (\"ApplicationId\", \"Metric\", \"Day\", \"Value\") VALUES ({0}, {1}, {2}, {3}) "
        + "ON CONFLICT (\"ApplicationId\", \"Metric\", \"Day\") DO UPDATE SET \"Value\" = ";
    private const string AddSql = Upsert + "\"DailyUsage\".\"Value\" + excluded.\"Value\"";
    private const string MaxSql = Upsert
        + "CASE WHEN excluded.\"Value\" > \"DailyUsage\".\"Value\" THEN excluded.\"Value\" ELSE \"DailyUsage\".\"Value\" END";
    private const string KeepSql = Upsert + "\"DailyUsage\".\"Value\"";
    /// <summary>Today's level = the latest level up to today plus the delta, never below zero.</summary>
    private const string ChangeLevelSql =
        "INSERT INTO \"DailyUsage\" (\"ApplicationId\", \"Metric\", \"Day\", \"Value\") "
        + "SELECT {0}, {1}, {2}, CASE WHEN l.\"Level\" > 0 THEN l.\"Level\" ELSE 0 END FROM (SELECT {3} + COALESCE(("
        + "SELECT \"Value\" FROM \"DailyUsage\" WHERE \"ApplicationId\" = {0} AND \"Metric\" = {1} AND \"Day\" <= {2} "
        + "ORDER BY \"Day\" DESC LIMIT 1), 0) AS \"Level\") AS l "
        // "WHERE true": SQLite would otherwise read ON CONFLICT as the join's ON.
        + "WHERE true ON CONFLICT (\"ApplicationId\", \"Metric\", \"Day\") DO UPDATE SET \"Value\" = excluded.\"Value\"";
    private const string AddMinuteSql =
        "INSERT INTO \"TrafficMinutes\" (\"ApplicationId\", \"Minute\", \"Bytes\") VALUES ({0}, {1}, {2}) "
        + "ON CONFLICT (\"ApplicationId\", \"Minute\") DO UPDATE SET \"Bytes\" = \"TrafficMinutes\".\"Bytes\" + excluded.\"Bytes\"";

    private async Task UpsertAsync(long applicationId, UsageMetric metric, DateOnly day, long value, string sql, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await UpsertAsync(db, applicationId, metric, day, value, sql, ct);
    }

    private static Task UpsertAsync(VodDbContext db, long applicationId, UsageMetric metric, DateOnly day, long value, string sql, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(sql, [applicationId, metric.ToString(), day, value], ct);
}
