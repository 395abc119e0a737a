using System.Globalization;

namespace VodConsole.Core.Usage;

/// <summary>A display unit: values in the metric's base unit divided by <see cref="Divisor"/>.</summary>
public sealed record UsageScale(string Unit, double Divisor, string NumberFormat)
{
    public double Scale(long value) => value / Divisor;

    public string Format(double scaled) => $"{scaled.ToString(NumberFormat, CultureInfo.InvariantCulture)} {Unit}";

    /// <summary>A value too small to show in this unit reads "&lt; 0.01 GB", never as a misleading "0 GB".</summary>
    public string Format(long value)
    {
        var smallest = NumberFormat == UsageUnits.Decimals ? 0.01 : 1;
        return value > 0 && Scale(value) < smallest ? $"< {Format(smallest)}" : Format(Scale(value));
    }
}

/// <summary>How each metric reads: bytes as GB or TB, bits per second as Mbps, seconds as minutes, counts as numbers.</summary>
public static class UsageUnits
{
    internal const string Decimals = "#,##0.##";
    private const string Whole = "#,##0";

    // Decimal units (1 GB = 10^9 bytes), as VOD bills state traffic and storage; packages are bought in the same.
    public const long BytesPerGigabyte = 1_000_000_000;
    public const long BytesPerTerabyte = 1_000_000_000_000;
    private static readonly UsageScale Gigabytes = new("GB", BytesPerGigabyte, Decimals);
    private static readonly UsageScale Terabytes = new("TB", BytesPerTerabyte, Decimals);

    /// <summary>The base unit, as the CSV export states values.</summary>
    public static string BaseUnit(UsageMetric metric) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.TrafficBytes => "bytes",
        UsageMetric.PeakBandwidthBps => "bits/s",
        UsageMetric.TranscodeSeconds or UsageMetric.ReviewSeconds => "seconds",
        UsageMetric.MediaCount => "media items",
        _ => "plays",
    };

    /// <summary>The unit a chart or table of this metric uses, chosen by its largest value so the figures stay readable.</summary>
    public static UsageScale ScaleFor(UsageMetric metric, long largest) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.TrafficBytes => largest >= 1e12 ? Terabytes : Gigabytes,
        UsageMetric.PeakBandwidthBps => new("Mbps", 1e6, Decimals),
        UsageMetric.TranscodeSeconds or UsageMetric.ReviewSeconds => new("min", 60, Decimals),
        UsageMetric.MediaCount => new("items", 1, Whole),
        _ => new("plays", 1, Whole),
    };

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
