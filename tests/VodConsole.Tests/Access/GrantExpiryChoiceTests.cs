using VodConsole.Core.Common;
using VodConsole.Web.Access;

namespace VodConsole.Tests.Access;

/// <summary>The access dialog's expiry choices: quick durations from now, and a date and time in the operator's own zone, stored UTC.</summary>
public sealed class GrantExpiryChoiceTests
{
    private static readonly DateTime Now = new(2026, 3, 28, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData(GrantEnd.OneHour, 1)]
    [InlineData(GrantEnd.EightHours, 8)]
    [InlineData(GrantEnd.OneDay, 24)]
    [InlineData(GrantEnd.SevenDays, 168)]
    public void A_quick_choice_ends_that_long_after_now(GrantEnd end, int hours) =>
        Assert.Equal(Now.AddHours(hours), GrantExpiry.Resolve(end, null, null, Now, Berlin));

    [Fact]
    public void No_expiry_is_none_and_keep_is_the_current_one()
    {
        Assert.Null(GrantExpiry.Resolve(GrantEnd.None, "2026-04-01T10:00", Now.AddDays(1), Now, Berlin));
        Assert.Equal(Now.AddDays(1), GrantExpiry.Resolve(GrantEnd.Keep, null, Now.AddDays(1), Now, Berlin));
    }

    [Fact]
    public void A_date_and_time_is_read_in_the_operators_zone_summer_time_included()
    {
        Assert.Equal(new DateTime(2026, 3, 28, 17, 0, 0, DateTimeKind.Utc), GrantExpiry.FromLocal("2026-03-28T18:00", Berlin)); // CET, +1
        Assert.Equal(new DateTime(2026, 3, 29, 16, 0, 0, DateTimeKind.Utc), GrantExpiry.FromLocal("2026-03-29T18:00:00", Berlin)); // CEST, +2
        Assert.Equal("2026-03-29 18:00 (Europe/Berlin)", GrantExpiry.Local(new DateTime(2026, 3, 29, 16, 0, 0, DateTimeKind.Utc), Berlin));
    }

    [Fact]
    public void A_missing_or_skipped_time_is_refused_with_a_message()
    {
        Assert.Equal("Enter the date and time the access ends.", Assert.Throws<DomainRuleException>(() => GrantExpiry.FromLocal("", Berlin)).Message);
        Assert.Contains("the clocks skip it", Assert.Throws<DomainRuleException>(() => GrantExpiry.FromLocal("2026-03-29T02:30", Berlin)).Message);
    }

    [Theory]
    [InlineData(30, "expires in 1 min")]
    [InlineData(45 * 60, "expires in 45 min")]
    [InlineData(3 * 3600 + 600, "expires in 3 h")]
    [InlineData(3 * 86400, "expires in 3 days")]
    [InlineData(0, "expired")]
    public void The_page_says_how_soon_a_grant_expires(int seconds, string expected) =>
        Assert.Equal(expected, GrantExpiry.ExpiresIn(Now.AddSeconds(seconds), Now));

    [Fact]
    public void An_unknown_browser_zone_reads_as_utc() =>
        Assert.Equal(TimeZoneInfo.Utc, GrantExpiry.Zone("Not/AZone"));
}
