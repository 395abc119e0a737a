namespace VodConsole.Core.Usage;

/// <summary>
/// Bytes one application's playback domain delivered in one UTC minute, summed over every server: the window its peak
/// bandwidth is measured in. Kept for a day only; the daily roll-ups keep the figures.
/// </summary>
public sealed class TrafficMinute
{
    public long ApplicationId { get; set; }
    public DateTime Minute { get; set; }
    public long Bytes { get; set; }
}
