using System.Globalization;
using VodConsole.Core.Common;

namespace VodConsole.Web.Access;

/// <summary>How long a grant lasts, as the access dialog offers it: no expiry, a quick duration, or a date and time.</summary>
public enum GrantEnd { None, Keep, OneHour, EightHours, OneDay, SevenDays, Until }

/// <summary>
/// The access dialog's choices of expiry turned into the instant the service stores (UTC), and the page's wording of
/// expiries. The operator picks a date and time in their own time zone (the browser's); the console stores UTC.
/// </summary>
public static class GrantExpiry
{
    /// <summary>The formats of an HTML <c>datetime-local</c> input's value (MudBlazor passes it on with seconds).</summary>
    public static readonly string[] LocalInputFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>What "expiring soon" means on Users &amp; access.</summary>
    public static readonly TimeSpan SoonWindow = TimeSpan.FromDays(7);

    public static string Label(GrantEnd end) => end switch
    {
        GrantEnd.None => "No expiry",
        GrantEnd.Keep => "Keep the current expiry",
        GrantEnd.OneHour => "For 1 hour",
        GrantEnd.EightHours => "For 8 hours",
        GrantEnd.OneDay => "For 24 hours",
        GrantEnd.SevenDays => "For 7 days",
        GrantEnd.Until => "Until a date and time",
        _ => throw new ArgumentOutOfRangeException(nameof(end)),
    };

    /// <summary>
    /// The instant (UTC) a choice ends the grant, or null for none. <paramref name="until"/> is the operator's local date
    /// and time (<see cref="LocalInputFormats"/>) in <paramref name="zone"/>; <paramref name="kept"/> the grant's current expiry.
    /// </summary>
    public static DateTime? Resolve(GrantEnd end, string? until, DateTime? kept, DateTime nowUtc, TimeZoneInfo zone) => end switch
    {
        GrantEnd.None => null,
        GrantEnd.Keep => kept,
        GrantEnd.OneHour => nowUtc.AddHours(1),
        GrantEnd.EightHours => nowUtc.AddHours(8),
        GrantEnd.OneDay => nowUtc.AddDays(1),
        GrantEnd.SevenDays => nowUtc.AddDays(7),
        GrantEnd.Until => FromLocal(until, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(end)),
    };

    /// <summary>The UTC instant of a local date and time; a time the clocks skip (a summer-time change) is refused.</summary>
    public static DateTime FromLocal(string? local, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(local, LocalInputFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            throw new DomainRuleException("Enter the date and time the access ends.", "expiry");
        }
        if (zone.IsInvalidTime(parsed))
        {
            throw new DomainRuleException($"{parsed:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks skip it); choose another time.", "expiry");
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified), zone);
    }

    /// <summary>An instant in the operator's time zone, as the dialog and the page show it.</summary>
    public static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        + (zone == TimeZoneInfo.Utc ? " UTC" : $" ({zone.Id})");

    /// <summary>"expires in 3 h": minutes under an hour (at least 1, never "0 min"), hours under two days, then days.</summary>
    public static string ExpiresIn(DateTime expiresAt, DateTime nowUtc)
    {
        var left = expiresAt - nowUtc;
        return left <= TimeSpan.Zero ? "expired"
            : left < TimeSpan.FromHours(1) ? $"expires in {Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min"
            : left < TimeSpan.FromDays(2) ? $"expires in {(int)Math.Round(left.TotalHours)} h"
            : $"expires in {(int)Math.Round(left.TotalDays)} days";
    }

    /// <summary>The browser's IANA zone name as a zone of this server, or UTC when unknown.</summary>
    public static TimeZoneInfo Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
