using VodConsole.Core.Applications;
using VodConsole.Core.Common;

namespace VodConsole.Core.Usage;

/// <summary>
/// One application's values of a metric, one per day of the range, and its summary: the total for amounts, the highest
/// for peaks, the last level for levels.
/// </summary>
public sealed record ApplicationUsage(long ApplicationId, string ApplicationName, IReadOnlyList<long> Daily, long Summary);

/// <summary>A named daily series of a chart: one application, or "Others" for the rest.</summary>
public sealed record UsageSeries(string Name, IReadOnlyList<long> Daily);

/// <summary>A metric over a range, per application and day: what the statistics pages and the CSV export show.</summary>
public sealed class UsageStatistics
{
    public const string OthersName = "Others";

    public UsageStatistics(StatisticsQuery query, IEnumerable<ApplicationUsage> applications, DateOnly? demoHistoryRecordedFrom = null)
    {
        Query = query;
        DemoHistoryRecordedFrom = demoHistoryRecordedFrom;
        Days = query.Range.EachDay().ToList();
        Applications = applications
            .OrderByDescending(a => a.Summary)
            .ThenBy(a => a.ApplicationName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(a => a.ApplicationId)
            .ToList();
    }

    public StatisticsQuery Query { get; }

    /// <summary>Set when the figures include generated demo history (<see cref="DemoHistory"/>): the day recording began.</summary>
    public DateOnly? DemoHistoryRecordedFrom { get; }
    public UsageMetric Metric => Query.Metric;
    public IReadOnlyList<DateOnly> Days { get; }

    /// <summary>The applications with roll-ups in the range, largest summary first.</summary>
    public IReadOnlyList<ApplicationUsage> Applications { get; }

    /// <summary>Nothing was recorded: no application has a value other than zero on any day.</summary>
    public bool IsEmpty => Applications.All(a => a.Daily.All(v => v == 0));

    /// <summary>What the summary of a row means for this metric.</summary>
    public string SummaryLabel => UsageMetrics.AggregationOf(Metric) switch
    {
        UsageAggregation.Sum => "Total",
        UsageAggregation.Peak => "Highest",
        _ => "Last level",
    };

    /// <summary>
    /// The series to stack in a chart: every application when there are at most <paramref name="maxSeries"/>, else the
    /// largest ones and "Others" adding up the rest per day, so the chart stays readable with 50 applications.
    /// </summary>
    public IReadOnlyList<UsageSeries> ChartSeries(int maxSeries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 2);
        if (Applications.Count <= maxSeries)
        {
            return Applications.Select(a => new UsageSeries(a.ApplicationName, a.Daily)).ToList();
        }

        var shown = Applications.Take(maxSeries - 1).Select(a => new UsageSeries(a.ApplicationName, a.Daily)).ToList();
        var rest = Applications.Skip(maxSeries - 1).ToList();
        shown.Add(new UsageSeries(OthersName, Days.Select((_, day) => rest.Sum(a => a.Daily[day])).ToList()));
        return shown;
    }

    /// <summary>The highest stacked daily value, which sets the chart's unit.</summary>
    public long LargestDailyTotal =>
        Days.Select((_, day) => Applications.Sum(a => a.Daily[day])).DefaultIfEmpty(0).Max();

    /// <summary>Builds the per-application view from the report's points, with zero on days without a roll-up.</summary>
    public static UsageStatistics From(
        StatisticsQuery query, IEnumerable<UsagePoint> points, IReadOnlyDictionary<long, string> names, DateOnly? demoHistoryRecordedFrom = null)
    {
        var from = query.Range.From;
        var applications = points
            .GroupBy(p => p.ApplicationId)
            .Select(g =>
            {
                var daily = new long[query.Range.Days];
                foreach (var point in g)
                {
                    daily[point.Day.DayNumber - from.DayNumber] = point.Value;
                }
                var name = names.TryGetValue(g.Key, out var known) ? known : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ApplicationUsage(g.Key, name, daily, Summarize(query.Metric, daily));
            });
        return new UsageStatistics(query, applications, demoHistoryRecordedFrom);
    }

    private static long Summarize(UsageMetric metric, long[] daily) => UsageMetrics.AggregationOf(metric) switch
    {
        UsageAggregation.Sum => daily.Sum(),
        UsageAggregation.Peak => daily.DefaultIfEmpty(0).Max(),
        _ => daily.LastOrDefault(),
    };
}

/// <summary>Loads <see cref="UsageStatistics"/> for the whole account or for one application only.</summary>
public sealed class StatisticsService(UsageReport report, ApplicationService applications)
{
    /// <summary>
    /// The metric over the range; with <paramref name="applicationId"/> only that application's numbers, so an
    /// application role never sees another's.
    /// </summary>
    public async Task<UsageStatistics> LoadAsync(StatisticsQuery query, long? applicationId, CancellationToken ct = default)
    {
        var points = await report.DailySeriesAsync(query.Metric, query.Range.From, query.Range.To, applicationId, ct);
        var named = applicationId is { } id
            ? [await applications.FindAsync(id, ct) ?? throw new DomainRuleException("There is no such application.")]
            : await applications.ListAsync(ct);
        var names = named.ToDictionary(a => a.Id, a => a.Name);
        // The report already filters; filtering again keeps isolation independent of how the report is queried.
        return UsageStatistics.From(query, points.Where(p => applicationId is null || p.ApplicationId == applicationId), names,
            DemoHistory.RecordedFrom(named, query.Range.From, query.Metric));
    }
}
