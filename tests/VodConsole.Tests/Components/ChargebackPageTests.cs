using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Applications;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Usage;
using VodConsole.Web.Chargeback;

namespace VodConsole.Tests.Components;

public sealed class ChargebackPageTests : ConsoleComponentContext
{
    [Fact]
    public async Task With_many_applications_the_chart_shows_the_largest_and_others_and_the_table_lists_every_one()
    {
        var chargeback = Services.GetRequiredService<ChargebackService>();
        await chargeback.SavePricesAsync(new ChargebackPrices(
            ChargeResources.All.ToDictionary(r => r, r => r == ChargeResource.Traffic ? 1m : 0m), (await chargeback.GetPricesAsync()).Version));
        var applications = Services.GetRequiredService<ApplicationService>();
        for (var i = 1; i <= 12; i++)
        {
            var application = await applications.CreateSubApplicationAsync($"Department number {i:00}", null);
            await Services.GetRequiredService<UsageRecorder>().AddAsync(application.Id, UsageMetric.TrafficBytes, i * UsageUnits.BytesPerGigabyte, chargeback.Today);
        }

        var page = Render<ChargebackPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='chargeback-chart']")));
        var chart = page.FindComponent<MudChart<double>>().Instance;
        Assert.Equal(8, chart.ChartLabels.Length);
        // Names that differ only at the end stay told apart.
        Assert.Equal(["Depart…er 12", "Depart…er 11"], chart.ChartLabels[..2]);
        Assert.Equal(UsageStatistics.OthersName, chart.ChartLabels[^1]);
        Assert.Equal([12.0, 11, 10, 9, 8, 7, 6, 5 + 4 + 3 + 2 + 1], chart.ChartSeries.Single().Data.Values);
        Assert.Equal(5, Assert.IsType<StackedBarChartOptions>(chart.ChartOptions).YAxisTicks); // round steps up to the highest bar (15: "Others")
        Assert.Contains("the largest 7; the rest as \"Others\"", page.Find("[data-testid='chargeback-chart-caption']").TextContent);
        Assert.Contains("Department number 01", page.Find("[data-testid='chargeback-table']").TextContent);
    }
}
