using VodConsole.Core.Usage;
using VodConsole.Web.Components.Shared;
using VodConsole.Web.Statistics;

namespace VodConsole.Tests.Components;

public sealed class FormatsTests
{
    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(2_048, "2 KB")]
    [InlineData(12_400_000, "12.4 MB")]
    [InlineData(3_000_000_000, "3 GB")]
    public void File_sizes_read_in_decimal_units(long bytes, string expected) => Assert.Equal(expected, Formats.FileSize(bytes));

    [Theory]
    [InlineData("Marketing", "Marketing")]
    [InlineData("Fourteen chars", "Fourteen chars")]
    [InlineData("Customer Acme production", "Custome…uction")]
    [InlineData("Department number 01", "Departm…ber 01")]
    [InlineData("Department number 02", "Departm…ber 02")]
    [InlineData("Sales   and marketing", "Sales…keting")]
    public void Long_labels_keep_their_start_and_end_around_an_ellipsis(string text, string expected) => Assert.Equal(expected, Formats.Shortened(text, 14));

    [Fact]
    public void Ids_are_plain_digits() => Assert.Equal("1500000001", Formats.Id(1_500_000_001));

    [Fact]
    public void Metric_values_use_the_statistics_units() =>
        Assert.Equal("1.5 TB", Formats.Metric(UsageMetric.TrafficBytes, 1_500_000_000_000));

    [Theory]
    [InlineData(125.4, "0:02:05")]
    [InlineData(3_725.0, "1:02:05")]
    [InlineData(null, "—")]
    public void Durations_read_as_hours_minutes_and_seconds(double? seconds, string expected) =>
        Assert.Equal(expected, Formats.Duration(seconds));

    [Fact]
    public void Resolutions_read_as_width_by_height_or_a_dash_without_a_picture()
    {
        Assert.Equal("1280×720", Formats.Resolution(1280, 720));
        Assert.Equal("—", Formats.Resolution(null, null));
    }

    [Fact]
    public void Codecs_and_bitrates_read_as_players_state_them()
    {
        Assert.Equal("h264 / aac", Formats.Codecs("h264", "aac"));
        Assert.Equal("pcm_s16le", Formats.Codecs(null, "pcm_s16le"));
        Assert.Equal("—", Formats.Codecs(null, null));
        Assert.Equal("2.5 Mbit/s", Formats.Bitrate(2_500_000));
        Assert.Equal("705.6 kbit/s", Formats.Bitrate(705_600));
        Assert.Equal("—", Formats.Bitrate(null));
    }

    [Theory]
    [InlineData(null, "—")]
    [InlineData("  ", "—")]
    [InlineData("Admin", "Admin")]
    public void Missing_text_reads_as_a_dash(string? text, string expected) => Assert.Equal(expected, Formats.OrDash(text));

    private static string? Names(long id) => id switch { 7 => "Marketing", 9 => "Archive", _ => null };

    [Theory]
    [InlineData("{\"9\":\"ReadOnly\",\"7\":\"Full\"}", "Archive: Read-only · Marketing: Full")]
    [InlineData("{\"12\":\"Full\"}", "application 12: Full")]
    [InlineData("{}", "None")]
    [InlineData("{\"Name\":\"clipped…", "{\"Name\":\"clipped…")]
    [InlineData(null, "—")]
    public void Grants_read_as_application_names_with_their_access(string? stored, string expected) =>
        Assert.Equal(expected, Formats.AuditValue("Grants", stored, Names));

    [Fact]
    public void Other_audit_values_read_as_stored() =>
        Assert.Equal("{\"7\":\"Full\"}", Formats.AuditValue("Settings", "{\"7\":\"Full\"}", Names));

    [Fact]
    public void A_chart_tooltip_names_the_value_with_its_unit_the_application_and_the_day()
    {
        DateOnly[] days = [new(2026, 11, 2), new(2026, 11, 3)];
        var data = new UsageChartData(days, [new UsageSeries("Marketing", [0, 91_456_798_720]), new UsageSeries("Archive", [1_000, 2_000])]);
        var unit = UsageUnits.ScaleFor(UsageMetric.TrafficBytes, 91_456_800_720);

        Assert.Equal(("91.46 GB", "Marketing · 2026-11-03"), UsageChartText.Tooltip(data, unit, 0, "2026-11-03"));
        Assert.Equal(("< 0.01 GB", "Archive · 2026-11-02"), UsageChartText.Tooltip(data, unit, 1, "2026-11-02"));
    }
}
