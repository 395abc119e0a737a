using VodConsole.Core.Usage;
using VodConsole.Web.Components.Shared;

namespace VodConsole.Tests.Components;

public sealed class FormatsTests
{
    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(2_048, "2 KB")]
    [InlineData(12_400_000, "12.4 MB")]
    [InlineData(3_000_000_000, "3 GB")]
    public void File_sizes_read_in_decimal_units(long bytes, string expected) => Assert.Equal(expected, Formats.FileSize(bytes));

    [Fact]
    public void Ids_are_plain_digits() => Assert.Equal("1500000001", Formats.Id(1_500_000_001));

    [Fact]
    public void Metric_values_use_the_statistics_units() =>
        Assert.Equal("1.5 TB", Formats.Metric(UsageMetric.TrafficBytes, 1_500_000_000_000));
}
