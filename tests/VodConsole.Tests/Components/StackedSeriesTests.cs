using VodConsole.Core.Usage;
using VodConsole.Web.Components.Shared;

namespace VodConsole.Tests.Components;

public sealed class StackedSeriesTests
{
    private static readonly DateOnly Day1 = new(2026, 5, 1);

    [Fact]
    public void The_largest_applications_get_a_series_each_and_the_rest_are_added_up_as_others()
    {
        var names = new Dictionary<long, string> { [1] = "Big", [2] = "Middle", [3] = "Small", [4] = "Tiny" };
        UsagePoint[] points =
        [
            new(Day1, 1, 100), new(Day1.AddDays(1), 1, 100),
            new(Day1, 2, 50),
            new(Day1, 3, 5), new(Day1.AddDays(1), 4, 1),
        ];

        var chart = StackedSeries.Build(points, names, Day1, Day1.AddDays(2), top: 2, scale: v => v);

        Assert.Equal(["05-01", "05-02", "05-03"], chart.Labels);
        Assert.Equal(["Big", "Middle", StackedSeries.OthersName], chart.Series.Select(s => s.Name));
        var others = chart.Series.Single(s => s.Name == StackedSeries.OthersName);
        Assert.Equal([5d, 1d, 0d], Enumerable.Range(0, 3).Select(i => others.Data[i].Y));
    }

    [Fact]
    public void An_application_named_others_is_not_merged_into_the_others_series()
    {
        var names = new Dictionary<long, string> { [1] = StackedSeries.OthersName, [2] = "B" };
        UsagePoint[] points = [new(Day1, 1, 10), new(Day1, 2, 1)];

        var chart = StackedSeries.Build(points, names, Day1, Day1, top: 1, scale: v => v);

        Assert.Equal(2, chart.Series.Count);
        Assert.Equal([10d, 1d], chart.Series.Select(s => s.Data[0].Y));
    }
}
