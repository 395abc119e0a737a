using System.Globalization;
using System.Text.Json;
using VodConsole.Core.Access;
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

    /// <summary>A package's amount: bytes in the unit that suits them, durations always in minutes, as packages are sold.</summary>
    public static string PackageAmount(PackageType type, long amount) => PackageRules.AmountText(type, amount);

    /// <summary>
    /// Text cut to <paramref name="length"/> characters for a label where the whole would overlap its neighbours: its start
    /// and its end around an ellipsis, as names often differ only at the end ("Department 01", "Department 02").
    /// </summary>
    public static string Shortened(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }
        var end = (length - 1) / 2;
        return text[..(length - 1 - end)].TrimEnd() + "…" + text[^end..].TrimStart();
    }

    /// <summary>Text that may be missing (a sign-in has no role), or a dash.</summary>
    public static string OrDash(string? text) => string.IsNullOrWhiteSpace(text) ? "—" : text;

    /// <summary>
    /// One value of an audit entry as people read it: absent values as a dash, and a user's grants — stored as JSON keyed
    /// by application ID, which stays the record — as "Marketing: Full · Archive: Read-only" with today's names.
    /// </summary>
    public static string AuditValue(string name, string? value, Func<long, string?> applicationName)
    {
        if (value is null)
        {
            return "—";
        }
        return name == "Grants" && Grants(value, applicationName) is { } grants ? grants : value;
    }

    private static string? Grants(string json, Func<long, string?> applicationName)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var grants = new List<string>();
            foreach (var grant in document.RootElement.EnumerateObject())
            {
                if (!long.TryParse(grant.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || grant.Value.ValueKind != JsonValueKind.String)
                {
                    return null;
                }
                var access = grant.Value.GetString() == nameof(ApplicationAccess.ReadOnly) ? "Read-only" : grant.Value.GetString();
                grants.Add($"{applicationName(id) ?? $"application {Id(id)}"}: {access}");
            }
            return grants.Count == 0 ? "None" : string.Join(" · ", grants.Order(StringComparer.CurrentCultureIgnoreCase));
        }
        catch (JsonException)
        {
            return null; // clipped at the length limit: shown as stored
        }
    }
}
