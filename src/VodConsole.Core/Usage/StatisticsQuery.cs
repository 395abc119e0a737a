using VodConsole.Core.Common;

namespace VodConsole.Core.Usage;

/// <summary>What a statistics page shows and what its CSV link asks for: one metric over one range.</summary>
public sealed record StatisticsQuery(UsageMetric Metric, StatisticsRange Range)
{
    /// <summary>The query string of the export link; <see cref="Parse"/> reads it back.</summary>
    public string QueryString => $"metric={Metric}&from={StatisticsRange.Iso(Range.From)}&to={StatisticsRange.Iso(Range.To)}";

    /// <summary>Reads the export parameters; a <see cref="DomainRuleException"/> says what is wrong with them.</summary>
    public static StatisticsQuery Parse(string? metric, string? from, string? to, TimeProvider clock)
    {
        // Names only: Enum.TryParse would also take numbers such as "42" that name no metric.
        var known = UsageMetrics.All.Where(m => m.ToString().Equals(metric, StringComparison.OrdinalIgnoreCase)).ToList();
        if (known.Count == 0)
        {
            throw new DomainRuleException($"'metric' must be one of: {string.Join(", ", UsageMetrics.All)}.", "metric");
        }
        return new StatisticsQuery(known[0], StatisticsRange.Parse(from, to, clock));
    }
}
