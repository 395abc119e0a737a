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
    // Transcoding output seconds by rendition tier (sums); together they add up to TranscodeSeconds.
    // Names are stored in DailyUsage.Metric (at most 24 characters).
    /// <summary>Output seconds of renditions up to 480 lines.</summary>
    TranscodeSecondsSd,
    /// <summary>Output seconds of renditions of 481–720 lines.</summary>
    TranscodeSecondsHd,
    /// <summary>Output seconds of renditions of 721–1080 lines.</summary>
    TranscodeSecondsFhd,
    /// <summary>Output seconds of renditions of 1081–1440 lines.</summary>
    TranscodeSeconds2K,
    /// <summary>Output seconds of renditions above 1440 lines.</summary>
    TranscodeSeconds4K,
    /// <summary>Output seconds of audio-only renditions: their own tier, as audio transcoding is priced apart from video.</summary>
    TranscodeSecondsAudio,
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

    /// <summary>The transcoding tiers, smallest first; each is part of <see cref="UsageMetric.TranscodeSeconds"/>.</summary>
    public static IReadOnlyList<UsageMetric> TranscodeTiers { get; } =
    [
        UsageMetric.TranscodeSecondsSd, UsageMetric.TranscodeSecondsHd, UsageMetric.TranscodeSecondsFhd,
        UsageMetric.TranscodeSeconds2K, UsageMetric.TranscodeSeconds4K, UsageMetric.TranscodeSecondsAudio,
    ];

    /// <summary>The figures the overviews show as cards and columns: every metric but the tiers, which statistics break down.</summary>
    public static IReadOnlyList<UsageMetric> Headline { get; } = All.Except(TranscodeTiers).ToArray();

    /// <summary>The tier of a rendition by its height (its smaller dimension's lines); null height: audio only.</summary>
    public static UsageMetric TranscodeTierOf(int? height) => height switch
    {
        null => UsageMetric.TranscodeSecondsAudio,
        <= 480 => UsageMetric.TranscodeSecondsSd,
        <= 720 => UsageMetric.TranscodeSecondsHd,
        <= 1080 => UsageMetric.TranscodeSecondsFhd,
        <= 1440 => UsageMetric.TranscodeSeconds2K,
        _ => UsageMetric.TranscodeSeconds4K,
    };

    /// <summary>Whether the metric counts seconds of work (transcoding, its tiers, review).</summary>
    public static bool IsDuration(UsageMetric metric) =>
        metric is UsageMetric.TranscodeSeconds or UsageMetric.ReviewSeconds || TranscodeTiers.Contains(metric);

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
        UsageMetric.TranscodeSecondsSd => "Transcoding SD (≤ 480p)",
        UsageMetric.TranscodeSecondsHd => "Transcoding HD (≤ 720p)",
        UsageMetric.TranscodeSecondsFhd => "Transcoding FHD (≤ 1080p)",
        UsageMetric.TranscodeSeconds2K => "Transcoding 2K (≤ 1440p)",
        UsageMetric.TranscodeSeconds4K => "Transcoding 4K",
        UsageMetric.TranscodeSecondsAudio => "Transcoding audio only",
        _ => metric.ToString(),
    };
}
