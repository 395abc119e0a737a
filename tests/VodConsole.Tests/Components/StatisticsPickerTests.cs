using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Usage;
using VodConsole.Web.Statistics;

namespace VodConsole.Tests.Components;

public sealed class StatisticsPickerTests() : MudTestContext(services => services.AddSingleton<TimeProvider>(new TestClock(Today)))
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private readonly List<StatisticsQuery> raised = [];

    private IRenderedComponent<StatisticsPicker> RenderPicker() =>
        Render<StatisticsPicker>(p => p
            .Add(c => c.Query, new StatisticsQuery(UsageMetric.TrafficBytes, StatisticsRange.For(StatisticsPreset.Last30Days, new TestClock(Today))))
            .Add(c => c.QueryChanged, query => raised.Add(query)));

    [Fact]
    public async Task Every_metric_is_offered_by_its_display_name()
    {
        var picker = RenderPicker();

        await picker.FindAndOpenInputControlAsync("[data-testid='statistics-metric']");

        var items = Popovers.FindAll("[data-testid^='statistics-metric-']").Select(e => e.TextContent.Trim());
        Assert.Equal(UsageMetrics.All.Select(UsageMetrics.DisplayName), items);
    }

    [Fact]
    public async Task Choosing_last_7_days_raises_a_range_ending_today()
    {
        var picker = RenderPicker();

        await ChooseRangeAsync(picker, StatisticsPreset.Last7Days);

        var range = Assert.Single(raised).Range;
        Assert.Equal((Today.AddDays(-6), Today), (range.From, range.To));
    }

    [Fact]
    public async Task A_custom_range_over_two_years_shows_the_rule_next_to_the_picker_and_raises_nothing()
    {
        var picker = RenderPicker();
        await ChooseRangeAsync(picker, StatisticsPreset.Custom);

        await picker.FindAndChangeAsync("input[data-testid='statistics-from']", "2024-03-14");

        Assert.Contains("at most 731 days (2 years)", picker.Find("[data-testid='statistics-error']").TextContent);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Correcting_a_custom_range_clears_the_message_and_raises_the_range()
    {
        var picker = RenderPicker();
        await ChooseRangeAsync(picker, StatisticsPreset.Custom);
        await picker.FindAndChangeAsync("input[data-testid='statistics-from']", "2026-03-20");
        Assert.Contains("on or before the end date", picker.Find("[data-testid='statistics-error']").TextContent);

        await picker.FindAndChangeAsync("input[data-testid='statistics-from']", "2026-03-01");

        Assert.Empty(picker.FindAll("[data-testid='statistics-error']"));
        Assert.Equal((new DateOnly(2026, 3, 1), Today), (Assert.Single(raised).Range.From, raised[0].Range.To));
    }

    private async Task ChooseRangeAsync(IRenderedComponent<StatisticsPicker> picker, StatisticsPreset preset)
    {
        await picker.FindAndOpenInputControlAsync("[data-testid='statistics-range']");
        await Popovers.FindAndClickAsync($"[data-testid='statistics-range-{preset}']");
    }
}
