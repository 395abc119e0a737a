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

    /// <summary>One file's size in decimal units ("12.4 MB"), the same units as storage figures.</summary>
    public static string FileSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return $"{value.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    public static string KindName(ApplicationKind kind) => kind == ApplicationKind.Primary ? "Primary" : "Sub-application";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string PackageAmount(PackageType type, long amount) =>
        Metric(PackageRules.IsMeasuredInBytes(type) ? UsageMetric.StorageBytes : UsageMetric.TranscodeSeconds, amount);
}
