using System.Globalization;

namespace VodConsole.Core.Usage;

/// <summary>
/// A display unit: values in the metric's base unit divided by <see cref="Divisor"/>. A count names its unit for exactly
/// one too (<see cref="SingularUnit"/>): "1 play", "2 plays".
/// </summary>
public sealed record UsageScale(string Unit, double Divisor, string NumberFormat, string? SingularUnit = null)
{
    public double Scale(long value) => value / Divisor;

    public string Format(double scaled) =>
        $"{scaled.ToString(NumberFormat, CultureInfo.InvariantCulture)} {(scaled == 1 && SingularUnit is not null ? SingularUnit : Unit)}";

    /// <summary>A value too small to show in this unit reads "&lt; 0.01 GB", never as a misleading "0 GB".</summary>
    public string Format(long value)
    {
        var smallest = NumberFormat == UsageUnits.Decimals ? 0.01 : 1;
        return value > 0 && Scale(value) < smallest ? $"< {Format(smallest)}" : Format(Scale(value));
    }
}

/// <summary>
/// How each metric reads: bytes as B to TB, bits per second as kbps to Gbps, seconds as minutes or hours, counts as
/// numbers; the unit is chosen from the data, so a small application reads "340 MB", not a flat "0 GB".
/// </summary>
public static class UsageUnits
{
    internal const string Decimals = "#,##0.##";
    private const string Whole = "#,##0";

    // Decimal units (1 GB = 10^9 bytes), as VOD bills state traffic and storage; packages are bought in the same.
    public const long BytesPerGigabyte = 1_000_000_000;
    public const long BytesPerTerabyte = 1_000_000_000_000;

    /// <summary>Smallest first; a value reads in the largest unit it fills at least once.</summary>
    private static readonly UsageScale[] ByteScales =
    [
        new("B", 1, Whole), new("KB", 1e3, Decimals), new("MB", 1e6, Decimals), new("GB", BytesPerGigabyte, Decimals),
        new("TB", BytesPerTerabyte, Decimals),
    ];

    private static readonly UsageScale[] BitRateScales =
        [new("bps", 1, Whole), new("kbps", 1e3, Decimals), new("Mbps", 1e6, Decimals), new("Gbps", 1e9, Decimals)];

    /// <summary>Minutes, as transcoding and review packages are bought and billed.</summary>
    public static UsageScale Minutes { get; } = new("min", 60, Decimals);

    // Minutes up to an hour; hours beyond, so a busy month reads "107 h" rather than "6,418 min".
    private static readonly UsageScale[] DurationScales = [Minutes, new("h", 3600, Decimals)];

    /// <summary>The base unit, as the CSV export states values.</summary>
    public static string BaseUnit(UsageMetric metric) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.TrafficBytes => "bytes",
        UsageMetric.PeakBandwidthBps => "bits/s",
        _ when UsageMetrics.IsDuration(metric) => "seconds",
        UsageMetric.MediaCount => "media items",
        _ => "plays",
    };

    /// <summary>The unit a chart or table of this metric uses, chosen by its largest value so the figures stay readable.</summary>
    public static UsageScale ScaleFor(UsageMetric metric, long largest) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.TrafficBytes => Fitting(ByteScales, largest),
        UsageMetric.PeakBandwidthBps => Fitting(BitRateScales, largest),
        _ when UsageMetrics.IsDuration(metric) => Fitting(DurationScales, largest),
        UsageMetric.MediaCount => new("items", 1, Whole, "item"),
        _ => new("plays", 1, Whole, "play"),
    };

    /// <summary>The largest unit that <paramref name="largest"/> fills at least once; the smallest for zero.</summary>
    private static UsageScale Fitting(UsageScale[] scales, long largest) =>
        scales.LastOrDefault(scale => largest >= scale.Divisor) ?? scales[0];

    /// <summary>
    /// A round spacing (1, 2 or 5 times a power of ten, at least 1) for the value axis of a chart whose highest scaled
    /// value is <paramref name="largest"/>, giving at most about <paramref name="ticks"/> ticks.
    /// </summary>
    public static int TickStep(double largest, int ticks)
    {
        var rough = largest / ticks;
        if (rough <= 1)
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(candidate => candidate >= rough);
        return (int)Math.Min(step, int.MaxValue);
    }
}
