using VodConsole.Core.Common;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Usage;

public sealed class StatisticsRangeTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private static readonly TestClock Clock = new(Today);

    [Theory]
    [InlineData(StatisticsPreset.Last7Days, 7, "2026-03-09")]
    [InlineData(StatisticsPreset.Last30Days, 30, "2026-02-14")]
    [InlineData(StatisticsPreset.Last90Days, 90, "2025-12-16")]
    public void Presets_end_today_and_span_their_number_of_days(StatisticsPreset preset, int days, string from)
    {
        var range = StatisticsRange.For(preset, Clock);

        Assert.Equal(Today, range.To);
        Assert.Equal(DateOnly.Parse(from), range.From);
        Assert.Equal(days, range.Days);
    }

    [Fact]
    public void Today_is_the_utc_day_even_late_in_the_evening_elsewhere()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(new DateOnly(2026, 3, 16), StatisticsRange.For(StatisticsPreset.Last7Days, clock).To);
    }

    [Fact]
    public void A_range_of_exactly_two_years_is_allowed_and_one_day_more_is_refused()
    {
        var longest = StatisticsRange.Create(Today.AddDays(1 - StatisticsRange.MaxDays), Today, Clock);
        var error = Assert.Throws<DomainRuleException>(() => StatisticsRange.Create(Today.AddDays(-StatisticsRange.MaxDays), Today, Clock));

        Assert.Equal(731, longest.Days);
        Assert.Contains("at most 731 days", error.Message);
        Assert.Equal("from", error.Field);
    }

    [Fact]
    public void A_start_after_the_end_is_refused()
    {
        var error = Assert.Throws<DomainRuleException>(() => StatisticsRange.Create(Today, Today.AddDays(-1), Clock));

        Assert.Equal("The start date must be on or before the end date.", error.Message);
    }

    [Fact]
    public void A_range_ending_after_today_is_refused_but_today_itself_is_allowed()
    {
        var error = Assert.Throws<DomainRuleException>(() => StatisticsRange.Create(Today, Today.AddDays(1), Clock));
        var todayOnly = StatisticsRange.Create(Today, Today, Clock);

        Assert.Contains("cannot end after today (2026-03-15, UTC)", error.Message);
        Assert.Equal("to", error.Field);
        Assert.Equal(1, todayOnly.Days);
    }

    [Theory]
    [InlineData("TrafficBytes", "2026-03-01", "2026-03-10", UsageMetric.TrafficBytes)]
    [InlineData("plays", "2026-03-01", "2026-03-01", UsageMetric.Plays)]
    public void Export_parameters_are_read_back_from_the_links_query_string(string metric, string from, string to, UsageMetric expected)
    {
        var query = StatisticsQuery.Parse(metric, from, to, Clock);

        Assert.Equal(expected, query.Metric);
        Assert.Equal($"metric={expected}&from={from}&to={to}", query.QueryString);
    }

    [Theory]
    [InlineData(null, "2026-03-01", "2026-03-02", "'metric' must be one of")]
    [InlineData("2", "2026-03-01", "2026-03-02", "'metric' must be one of")]
    [InlineData("Traffic", "2026-03-01", "2026-03-02", "'metric' must be one of")]
    [InlineData("Plays", "01/03/2026", "2026-03-02", "'from' must be a date")]
    [InlineData("Plays", "2026-03-01", null, "'to' must be a date")]
    [InlineData("Plays", "2026-03-01", "2026-04-01", "cannot end after today")]
    public void Bad_export_parameters_are_refused_with_a_plain_message(string? metric, string? from, string? to, string message)
    {
        var error = Assert.Throws<DomainRuleException>(() => StatisticsQuery.Parse(metric, from, to, Clock));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(UsageMetric.TrafficBytes, 2_500_000_000L, 2_500_000_000L, "2.5 GB")]
    [InlineData(UsageMetric.StorageBytes, 3_000_000_000_000L, 1_500_000_000_000L, "1.5 TB")]
    [InlineData(UsageMetric.StorageBytes, 340_000_000L, 12_500_000L, "12.5 MB")]
    [InlineData(UsageMetric.TrafficBytes, 45_000L, 1_500L, "1.5 KB")]
    [InlineData(UsageMetric.TrafficBytes, 777L, 777L, "777 B")]
    [InlineData(UsageMetric.TrafficBytes, 0L, 0L, "0 B")]
    [InlineData(UsageMetric.TrafficBytes, 2_500_000_000L, 1_000L, "< 0.01 GB")]
    [InlineData(UsageMetric.PeakBandwidthBps, 40_000_000L, 12_500_000L, "12.5 Mbps")]
    [InlineData(UsageMetric.PeakBandwidthBps, 800_000L, 640_000L, "640 kbps")]
    [InlineData(UsageMetric.PeakBandwidthBps, 3_000_000_000L, 1_200_000_000L, "1.2 Gbps")]
    [InlineData(UsageMetric.TranscodeSeconds, 600L, 90L, "1.5 min")]
    [InlineData(UsageMetric.ReviewSeconds, 36_000L, 5_400L, "1.5 h")]
    [InlineData(UsageMetric.Plays, 12_345L, 12_345L, "12,345 plays")]
    [InlineData(UsageMetric.Plays, 1L, 1L, "1 play")]
    [InlineData(UsageMetric.MediaCount, 1L, 1L, "1 item")]
    [InlineData(UsageMetric.MediaCount, 2L, 2L, "2 items")]
    public void Values_read_in_units_that_suit_the_metric(UsageMetric metric, long largest, long value, string expected)
    {
        Assert.Equal(expected, UsageUnits.ScaleFor(metric, largest).Format(value));
    }

    [Theory]
    [InlineData(4.0, 1)]
    [InlineData(0.3, 1)]
    [InlineData(40.0, 10)]
    [InlineData(72.0, 20)]
    [InlineData(230.0, 50)]
    public void Chart_axes_step_in_round_numbers(double largest, int step)
    {
        Assert.Equal(step, UsageUnits.TickStep(largest, 5));
    }
}
