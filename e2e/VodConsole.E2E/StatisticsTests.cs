using System.Globalization;
using System.Text.RegularExpressions;
using VodConsole.Core.Applications;
using VodConsole.Core.Usage;

namespace VodConsole.E2E;

public sealed class StatisticsTests(ConsoleFixture fixture)
{
    private const string CsvHeader = "date,application_id,application_name,metric,value,source";
    private readonly ConsoleServer server = fixture.Server;

    [Fact]
    public async Task Admin_sees_traffic_per_application_and_downloads_csvs_that_an_application_cannot_widen()
    {
        var stats = await server.CreateSubApplicationAsync("Stats");
        var neighbour = await server.CreateSubApplicationAsync("Neighbour");
        var recorder = server.Get<UsageRecorder>();
        var today = recorder.Today;
        await recorder.AddAsync(stats.Id, UsageMetric.TrafficBytes, 4_000_000_000, today.AddDays(-1));
        await recorder.AddAsync(stats.Id, UsageMetric.TrafficBytes, 1_500_000_000, today.AddDays(-3));
        await recorder.AddAsync(neighbour.Id, UsageMetric.TrafficBytes, 777, today.AddDays(-1));
        string[] seeded = [Row(today.AddDays(-1), stats, 4_000_000_000), Row(today.AddDays(-3), stats, 1_500_000_000), Row(today, stats, 0)];
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/statistics");
        await tab.SignInAsync();

        await ChooseTrafficOverLast7DaysAsync(tab, today);
        await Expect(tab.Page.GetByTestId("statistics-chart")).ToBeVisibleAsync();
        // A bar tells its value with the unit, its application and its day (other tests add traffic too: any bar will do).
        var chart = tab.Page.GetByTestId("statistics-chart");
        await chart.Locator("path.mud-chart-bar").First.DispatchEventAsync("mouseover");
        await Expect(chart.Locator(".mud-chart-tooltip")).ToHaveTextAsync(new Regex(@"^(< )?[\d,.]+ (B|KB|MB|GB|TB)\S.* · \d{4}-\d{2}-\d{2}$"));
        await tab.ScreenshotAsync("statistics-tooltip");
        var table = tab.Page.GetByTestId("statistics-table");
        await Expect(table).ToContainTextAsync(stats.Name);
        await Expect(table.Locator("tr", new() { HasText = stats.Name })).ToContainTextAsync("5.5 GB");
        await tab.ScreenshotAsync("admin-statistics");

        var adminCsv = await DownloadCsvAsync(tab);
        Assert.Equal(CsvHeader, adminCsv[0]);
        Assert.Subset(adminCsv.ToHashSet(), seeded.ToHashSet());
        Assert.Contains(Row(today.AddDays(-1), neighbour, 777), adminCsv);

        await table.GetByRole(AriaRole.Link, new() { Name = stats.Name }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{stats.Id}/statistics"));
        await Expect(tab.CurrentRole).ToHaveTextAsync(stats.Name);
        await ChooseTrafficOverLast7DaysAsync(tab, today);
        await Expect(tab.Page.GetByTestId("statistics-chart")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("statistics-table")).ToHaveCountAsync(0);

        var appCsv = await DownloadCsvAsync(tab);
        Assert.Equal(CsvHeader, appCsv[0]);
        Assert.Subset(appCsv.ToHashSet(), seeded.ToHashSet());
        Assert.Equal(7, appCsv.Length - 1);
        Assert.All(appCsv.Skip(1), row => Assert.StartsWith($"{row[..10]},{stats.Id},", row));

        await tab.Page.GetByTestId("statistics-metric").ClickAsync();
        await tab.Page.GetByTestId("statistics-metric-Plays").ClickAsync();
        await Expect(tab.Page.GetByTestId("statistics-empty")).ToContainTextAsync("No plays recorded");
        await Expect(tab.Page.GetByTestId("statistics-chart")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_export_answers_not_found_for_an_unknown_application_and_bad_request_for_bad_parameters()
    {
        var stats = await server.CreateSubApplicationAsync("Export");
        var known = (await server.Get<ApplicationService>().ListAsync()).Select(a => a.Id).ToHashSet();
        var unknown = Enumerable.Range(1, 100).Select(i => 9_000_000_000L + i).First(id => !known.Contains(id));
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();
        var day = StatisticsRange.Iso(server.Get<UsageRecorder>().Today);
        var query = $"metric=TrafficBytes&from={day}&to={day}";

        var missing = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{unknown}/statistics/export.csv?{query}"));
        var allowed = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{stats.Id}/statistics/export.csv?{query}"));
        var badMetric = await tab.Page.APIRequest.GetAsync(server.Url($"/admin/statistics/export.csv?metric=Nothing&from={day}&to={day}"));
        var tooLong = await tab.Page.APIRequest.GetAsync(server.Url($"/admin/statistics/export.csv?metric=Plays&from=2000-01-01&to={day}"));

        Assert.Equal(404, missing.Status);
        Assert.Equal(200, allowed.Status);
        Assert.StartsWith(CsvHeader, await allowed.TextAsync());
        Assert.Equal(400, badMetric.Status);
        Assert.Contains("'metric' must be one of", await badMetric.TextAsync());
        Assert.Equal(400, tooLong.Status);
        Assert.Contains("at most 731 days", await tooLong.TextAsync());
    }

    private static string Row(DateOnly day, Application application, long value) =>
        $"{StatisticsRange.Iso(day)},{application.Id},\"{application.Name}\",TrafficBytes,{value.ToString(CultureInfo.InvariantCulture)},recorded";

    private static async Task ChooseTrafficOverLast7DaysAsync(ConsolePage tab, DateOnly today)
    {
        await tab.Page.GetByTestId("statistics-metric").ClickAsync();
        await tab.Page.GetByTestId("statistics-metric-TrafficBytes").ClickAsync();
        await tab.Page.GetByTestId("statistics-range").ClickAsync();
        await tab.Page.GetByTestId("statistics-range-Last7Days").ClickAsync();
        // The link follows the picker: once it names the 7 days, the page shows them too.
        var from = StatisticsRange.Iso(today.AddDays(-6));
        await Expect(tab.Page.GetByTestId("statistics-download"))
            .ToHaveAttributeAsync("href", new Regex(Regex.Escape($"metric=TrafficBytes&from={from}&to={StatisticsRange.Iso(today)}")));
    }

    private static async Task<string[]> DownloadCsvAsync(ConsolePage tab)
    {
        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("statistics-download").ClickAsync());
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        return text.TrimEnd('\r', '\n').Split("\r\n");
    }
}
