using System.Globalization;
using VodConsole.Core.Applications;
using VodConsole.Core.Packages;

namespace VodConsole.Web.Components.Shared;

/// <summary>How values read on every page.</summary>
public static class Formats
{
    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Plain digits, no separators, so an ID can be copied and pasted as it is.</summary>
    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static string KindName(ApplicationKind kind) => kind == ApplicationKind.Primary ? "Primary" : "Sub-application";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string[] ByteUnits = ["B", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>"1.5 TB": binary units with the customary labels, the same units packages are bought in.</summary>
    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < ByteUnits.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return $"{value.ToString("#,0.#", CultureInfo.InvariantCulture)} {ByteUnits[unit]}";
    }

    /// <summary>Durations are stored in seconds and read in minutes: "1,500 min".</summary>
    public static string Minutes(long seconds) =>
        $"{(seconds / (double)PackageRules.SecondsPerMinute).ToString("#,0.#", CultureInfo.InvariantCulture)} min";

    public static string PackageAmount(PackageType type, long amount) =>
        PackageRules.IsMeasuredInBytes(type) ? Bytes(amount) : Minutes(amount);
}
