namespace VodConsole.Core.Usage;

/// <summary>
/// One application's value of one metric on one UTC day: the roll-up every statistic, overview figure and package
/// settlement is computed from (never the media rows themselves). Key: application, metric, day.
/// </summary>
public sealed class DailyUsage
{
    public long ApplicationId { get; set; }
    public UsageMetric Metric { get; set; }
    public DateOnly Day { get; set; }
    public long Value { get; set; }
}
