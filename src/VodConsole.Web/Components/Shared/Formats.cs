using System.Globalization;
using VodConsole.Core.Applications;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Components.Shared;

/// <summary>How values read on every page.</summary>
public static class Formats
{
    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Plain digits, no separators, so an ID can be copied and pasted as it is.</summary>
    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bytes in binary units ("1.5 GB"), the way storage consoles show them.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B"
            : $"{value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>Bits per second in decimal units ("12.5 Mbps"), as bandwidth is sold.</summary>
    public static string Bandwidth(long bitsPerSecond)
    {
        string[] units = ["bps", "Kbps", "Mbps", "Gbps", "Tbps"];
        double value = bitsPerSecond;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return $"{value.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    public static string Minutes(long seconds) => $"{(seconds / 60.0).ToString("#,0.#", CultureInfo.InvariantCulture)} min";

    /// <summary>A metric's value in the unit people read it in.</summary>
    public static string Metric(UsageMetric metric, long value) => metric switch
    {
        UsageMetric.StorageBytes or UsageMetric.TrafficBytes => Bytes(value),
        UsageMetric.PeakBandwidthBps => Bandwidth(value),
        UsageMetric.TranscodeSeconds or UsageMetric.ReviewSeconds => Minutes(value),
        _ => Count(value),
    };

    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    public static string KindName(ApplicationKind kind) => kind == ApplicationKind.Primary ? "Primary" : "Sub-application";
}
