using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Usage;

/// <summary>One value per metric.</summary>
public sealed class UsageFigures
{
    private readonly Dictionary<UsageMetric, long> values = [];

    public long this[UsageMetric metric]
    {
        get => values.GetValueOrDefault(metric);
        internal set => values[metric] = value;
    }
}

/// <summary>One application's value of a metric on one day.</summary>
public readonly record struct UsagePoint(DateOnly Day, long ApplicationId, long Value);

/// <summary>
/// Reads the daily roll-ups: figures over a range (amounts summed, peaks maximised, levels as of the range's last day)
/// and daily series with levels carried forward over days without events. Queries touch only indexed roll-up rows.
/// All applications' figures are the Administrator's; one application's, anyone's who may see it.
/// </summary>
public sealed class UsageReport(IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access)
{
    private static readonly UsageMetric[] LevelMetrics =
        UsageMetrics.All.Where(m => UsageMetrics.AggregationOf(m) == UsageAggregation.Level).ToArray();

    private static readonly UsageMetric[] RangeMetrics =
        UsageMetrics.All.Where(m => UsageMetrics.AggregationOf(m) != UsageAggregation.Level).ToArray();

    /// <summary>Figures per application over [from, to]; only <paramref name="applicationId"/> when given.</summary>
    public async Task<IReadOnlyDictionary<long, UsageFigures>> FiguresByApplicationAsync(
        DateOnly from, DateOnly to, long? applicationId = null, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var figures = new Dictionary<long, UsageFigures>();
        UsageFigures For(long id) => figures.TryGetValue(id, out var f) ? f : figures[id] = new UsageFigures();

        var ranged = await InRange(db, from, to, applicationId)
            .Where(u => RangeMetrics.Contains(u.Metric))
            .GroupBy(u => new { u.ApplicationId, u.Metric })
            .Select(g => new { g.Key.ApplicationId, g.Key.Metric, Sum = g.Sum(u => u.Value), Max = g.Max(u => u.Value) })
            .ToListAsync(ct);
        foreach (var row in ranged)
        {
            For(row.ApplicationId)[row.Metric] = UsageMetrics.AggregationOf(row.Metric) == UsageAggregation.Peak ? row.Max : row.Sum;
        }

        foreach (var (id, metric, value) in await LevelsAsync(db, to, applicationId, ct))
        {
            For(id)[metric] = value;
        }
        return figures;
    }

    /// <summary>
    /// The account's figures over [from, to]: amounts and levels add up over applications; the peak is the highest
    /// daily sum of the applications' peaks.
    /// </summary>
    public async Task<UsageFigures> AccountFiguresAsync(DateOnly from, DateOnly to, CancellationToken ct = default) =>
        Totals((await FiguresByApplicationAsync(from, to, null, ct)).Values, await AccountPeakAsync(from, to, ct));

    /// <summary>The highest, over the days, of the applications' peaks added up per day.</summary>
    public async Task<long> AccountPeakAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dailyPeaks = await InRange(db, from, to, null)
            .Where(u => u.Metric == UsageMetric.PeakBandwidthBps)
            .GroupBy(u => u.Day)
            .Select(g => g.Sum(u => u.Value))
            .ToListAsync(ct);
        return dailyPeaks.DefaultIfEmpty(0).Max();
    }

    /// <summary>Adds applications' figures up into the account's; the peak comes from <see cref="AccountPeakAsync"/>.</summary>
    public static UsageFigures Totals(IEnumerable<UsageFigures> applications, long accountPeak)
    {
        var list = applications.ToList();
        var total = new UsageFigures();
        foreach (var metric in UsageMetrics.All.Where(m => UsageMetrics.AggregationOf(m) != UsageAggregation.Peak))
        {
            total[metric] = list.Sum(f => f[metric]);
        }
        total[UsageMetric.PeakBandwidthBps] = accountPeak;
        return total;
    }

    /// <summary>
    /// One point per day and application over [from, to] (days without a row are 0 for amounts; levels carry the last
    /// known value forward). Only <paramref name="applicationId"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<UsagePoint>> DailySeriesAsync(
        UsageMetric metric, DateOnly from, DateOnly to, long? applicationId = null, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await InRange(db, from, to, applicationId)
            .Where(u => u.Metric == metric)
            .Select(u => new UsagePoint(u.Day, u.ApplicationId, u.Value))
            .ToListAsync(ct);
        if (UsageMetrics.AggregationOf(metric) != UsageAggregation.Level)
        {
            return rows.OrderBy(p => p.Day).ThenBy(p => p.ApplicationId).ToList();
        }

        var level = (await LevelsAsync(db, from.AddDays(-1), applicationId, ct))
            .Where(l => l.Metric == metric)
            .ToDictionary(l => l.ApplicationId, l => l.Value);
        var recorded = rows.ToDictionary(p => (p.Day, p.ApplicationId), p => p.Value);
        foreach (var id in rows.Select(p => p.ApplicationId))
        {
            level.TryAdd(id, 0);
        }

        var series = new List<UsagePoint>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            foreach (var id in level.Keys.Order().ToList())
            {
                if (recorded.TryGetValue((day, id), out var value))
                {
                    level[id] = value;
                }
                series.Add(new UsagePoint(day, id, level[id]));
            }
        }
        return series;
    }

    private static IQueryable<DailyUsage> InRange(VodDbContext db, DateOnly from, DateOnly to, long? applicationId)
    {
        var rows = db.DailyUsage.Where(u => u.Day >= from && u.Day <= to);
        return applicationId is { } id ? rows.Where(u => u.ApplicationId == id) : rows;
    }

    /// <summary>Each application's levels as of a day: its latest row on or before it (an index seek per application).</summary>
    private static async Task<List<(long ApplicationId, UsageMetric Metric, long Value)>> LevelsAsync(
        VodDbContext db, DateOnly asOf, long? applicationId, CancellationToken ct)
    {
        var applications = applicationId is { } only ? db.Applications.Where(a => a.Id == only) : db.Applications;
        var levels = await applications
            .Select(a => new
            {
                a.Id,
                Storage = db.DailyUsage
                    .Where(u => u.ApplicationId == a.Id && u.Metric == UsageMetric.StorageBytes && u.Day <= asOf)
                    .OrderByDescending(u => u.Day).Select(u => u.Value).FirstOrDefault(),
                Media = db.DailyUsage
                    .Where(u => u.ApplicationId == a.Id && u.Metric == UsageMetric.MediaCount && u.Day <= asOf)
                    .OrderByDescending(u => u.Day).Select(u => u.Value).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return levels
            .SelectMany(l => new[] { (l.Id, UsageMetric.StorageBytes, l.Storage), (l.Id, UsageMetric.MediaCount, l.Media) })
            .ToList();
    }
}
