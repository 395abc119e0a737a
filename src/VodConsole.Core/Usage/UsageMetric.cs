namespace VodConsole.Core.Usage;

/// <summary>What the daily roll-ups measure, per application and day.</summary>
public enum UsageMetric
{
    /// <summary>Bytes stored at the end of the day (a level).</summary>
    StorageBytes,
    /// <summary>Media items at the end of the day (a level).</summary>
    MediaCount,
    /// <summary>Bytes served by the playback domain during the day (a sum).</summary>
    TrafficBytes,
    /// <summary>Highest bandwidth seen during the day, in bits per second (a maximum).</summary>
    PeakBandwidthBps,
    /// <summary>Seconds of output produced by transcoding during the day (a sum).</summary>
    TranscodeSeconds,
    /// <summary>Seconds of media reviewed (content audit) during the day (a sum).</summary>
    ReviewSeconds,
    /// <summary>Playback starts during the day (a sum).</summary>
    Plays,
}

/// <summary>How a metric's daily values combine over several days or applications.</summary>
public enum UsageAggregation
{
    /// <summary>Levels: the value on a day is the latest recorded one; applications add up, days do not.</summary>
    Level,
    /// <summary>Amounts: days and applications add up.</summary>
    Sum,
    /// <summary>Peaks: the highest value over the days; applications add up per day (a conservative account peak).</summary>
    Peak,
}

public static class UsageMetrics
{
    public static IReadOnlyList<UsageMetric> All { get; } = Enum.GetValues<UsageMetric>();

    public static UsageAggregation AggregationOf(UsageMetric metric) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.MediaCount => UsageAggregation.Level,
        UsageMetric.PeakBandwidthBps => UsageAggregation.Peak,
        _ => UsageAggregation.Sum,
    };

    public static string DisplayName(UsageMetric metric) => metric switch
    {
        UsageMetric.StorageBytes => "Storage",
        UsageMetric.MediaCount => "Media count",
        UsageMetric.TrafficBytes => "Traffic",
        UsageMetric.PeakBandwidthBps => "Peak bandwidth",
        UsageMetric.TranscodeSeconds => "Transcoding duration",
        UsageMetric.ReviewSeconds => "Review duration",
        UsageMetric.Plays => "Plays",
        _ => metric.ToString(),
    };
}
