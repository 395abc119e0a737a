using System.Globalization;
using VodConsole.Core.Applications;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Components.Shared;

/// <summary>How values read on every page.</summary>
public static class Formats
{
    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Plain digits, no separators, so an ID can be copied and pasted as it is.</summary>
    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A metric's value in the unit people read it in (the same units as charts and statistics).</summary>
    public static string Metric(UsageMetric metric, long value) => UsageUnits.ScaleFor(metric, value).Format(value);

    /// <summary>A file size in decimal units (1 MB = 10^6 bytes), as storage is counted everywhere else.</summary>
    public static string FileSize(double bytes) => bytes switch
    {
        >= 1e9 => (bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " GB",
        >= 1e6 => (bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1e3 => (bytes / 1e3).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A media duration as h:mm:ss, or a dash when there is none (images).</summary>
    public static string Duration(double? seconds) =>
        seconds is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>Width × height in pixels, or a dash when there is no picture (audio).</summary>
    public static string Resolution(int? width, int? height) =>
        width is { } w && height is { } h ? $"{w}×{h}" : "—";

    /// <summary>Video and audio codec names ("h264 / aac"), or a dash when processing found none.</summary>
    public static string Codecs(string? video, string? audio) =>
        string.Join(" / ", new[] { video, audio }.Where(c => c is not null)) is { Length: > 0 } codecs ? codecs : "—";

    /// <summary>A bitrate in kbit/s or Mbit/s (decimal, as players and encoders state it).</summary>
    public static string Bitrate(long? bitsPerSecond) => bitsPerSecond switch
    {
        null => "—",
        >= 1_000_000 => (bitsPerSecond.Value / 1_000_000d).ToString("0.##", CultureInfo.InvariantCulture) + " Mbit/s",
        _ => (bitsPerSecond.Value / 1_000d).ToString("0.#", CultureInfo.InvariantCulture) + " kbit/s",
    };

    public static string KindName(ApplicationKind kind) => kind == ApplicationKind.Primary ? "Primary" : "Sub-application";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string PackageAmount(PackageType type, long amount) =>
        Metric(PackageRules.IsMeasuredInBytes(type) ? UsageMetric.StorageBytes : UsageMetric.TranscodeSeconds, amount);
}
