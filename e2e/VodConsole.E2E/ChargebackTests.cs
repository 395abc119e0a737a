using System.Globalization;
using VodConsole.Core.Applications;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Usage;

namespace VodConsole.E2E;

public sealed class ChargebackTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_owner_sets_prices_sees_each_applications_cost_in_the_table_and_chart_and_downloads_the_csv()
    {
        var server = fixture.Server;
        var primary = (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);
        await server.Get<UsageRecorder>().AddAsync(primary.Id, UsageMetric.TrafficBytes, 3 * UsageUnits.BytesPerGigabyte);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/chargeback");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Chargeback", Exact = true })).ToBeVisibleAsync();
        await tab.WaitForInteractiveAsync();

        // A bad price is refused with its rule, and nothing is saved.
        await tab.Page.GetByLabel("Traffic per GB").FillAsync("-1");
        await tab.Page.GetByTestId("chargeback-save-prices").ClickAsync();
        await Expect(tab.Page.GetByTestId("chargeback-price-error")).ToContainTextAsync("cannot be negative");

        await tab.Page.GetByLabel("Traffic per GB").FillAsync("0.333");
        await tab.Page.GetByTestId("chargeback-save-prices").ClickAsync();
        await Expect(tab.Page.GetByText("Prices saved.")).ToBeVisibleAsync();
        Assert.Equal(0.333m, (await server.Get<ChargebackService>().GetPricesAsync()).Prices[ChargeResource.Traffic]);

        var statement = await server.Get<ChargebackService>().StatementAsync(
            new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1), DateOnly.FromDateTime(DateTime.UtcNow));
        var total = Money.Format(statement.Total);
        await Expect(tab.Page.GetByTestId("chargeback-total")).ToHaveTextAsync(total);
        var primaryTotal = Money.Format(statement.Applications.Single(a => a.ApplicationId == primary.Id).Total);
        await Expect(tab.Page.Locator($"[data-testid='chargeback-app-total'][data-app-id='{primary.Id}']")).ToHaveTextAsync(primaryTotal);
        await Expect(tab.Page.GetByTestId("chargeback-chart").Locator("svg")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("chargeback-rounding-rule")).ToContainTextAsync("largest remainder");
        await tab.ScreenshotAsync("admin-chargeback");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("chargeback-download").ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync())).TrimEnd('\r', '\n').Split("\r\n");
        Assert.Equal(ChargebackCsv.Header, lines[0]);
        Assert.EndsWith($",total,,,,,,,{statement.ExactTotal.ToString("0.######", CultureInfo.InvariantCulture)},{statement.Total.ToString("0.00", CultureInfo.InvariantCulture)}", lines[^1]);
        Assert.Contains(lines, l => l.Contains($",{primary.Id},") && l.Contains(",Traffic,GB,"));
    }

    [Fact]
    public async Task An_applications_overview_shows_its_cost_this_month()
    {
        var server = fixture.Server;
        var primary = (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{primary.Id}/overview");
        await tab.SignInAsync();

        var expected = Money.Format((await server.Get<ChargebackService>().MonthToDateAsync(primary.Id)).Total);
        await Expect(tab.Page.GetByTestId("month-cost")).ToHaveTextAsync(expected);
    }
}
