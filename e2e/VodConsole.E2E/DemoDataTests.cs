using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

public sealed class DemoDataTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_new_console_with_demo_data_opens_on_admin_with_labelled_demo_applications_in_the_switcher()
    {
        await using var server = ConsoleServer.Start(demoData: true);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/");
        await tab.SignInAsync();

        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/overview"));
        await Expect(tab.Page.GetByTestId("demo-history-note")).ToContainTextAsync("Demo history");
        await Expect(tab.Page.GetByTestId("figure-TranscodeSeconds")).ToContainTextAsync(new Regex(@"^\D*0\b"));
        await Expect(tab.Page.GetByTestId("figure-ReviewSeconds")).ToContainTextAsync(new Regex(@"^\D*0\b"));
        await Expect(tab.Page.GetByTestId("overview-chart").Locator("svg").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("demo-overview");
        await tab.Switcher.ClickAsync();
        var demoOptions = tab.Page.Locator("[data-testid^='role-option-']", new() { HasText = "(demo)" });
        await Expect(demoOptions.First).ToBeVisibleAsync();
        Assert.True(await demoOptions.CountAsync() >= 3);
        await Expect(tab.Page.Locator("[data-testid^='role-option-']", new() { HasTextRegex = new Regex("\\(disabled\\)") }))
            .ToHaveCountAsync(1);
        await tab.ScreenshotAsync("demo-switcher");
    }

    [Fact]
    public async Task A_demo_applications_overview_counts_exactly_the_processed_media_its_media_page_lists()
    {
        await using var server = ConsoleServer.Start(demoData: true);
        var demo = (await server.Get<ApplicationService>().ListAsync()).First(a => a.IsDemo && a.Status == ApplicationStatus.Enabled);
        await WaitForProcessingAsync(server);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{demo.Id}/overview");
        await tab.SignInAsync();

        var count = await tab.Page.GetByTestId("figure-MediaCount").Locator(".mud-typography-h6").InnerTextAsync();
        await Expect(tab.Page.GetByTestId("demo-history-note")).ToBeVisibleAsync();
        await tab.GotoAsync($"/apps/{demo.Id}/media");

        var rows = tab.Page.GetByTestId("media-title");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.Equal(Regex.Match(count, @"\d+").Value, (await rows.CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(tab.Page.GetByTestId("media-status").Filter(new() { HasNotText = "Normal" })).ToHaveCountAsync(0);
        await Expect(tab.Page.Locator("img.media-cover")).ToHaveCountAsync(await rows.CountAsync());
        await tab.ScreenshotAsync("demo-media");
    }

    /// <summary>Waits (up to a minute on a busy machine) until the processing worker has probed every demo upload.</summary>
    private static async Task WaitForProcessingAsync(ConsoleServer server)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
            if (!await db.Media.IgnoreQueryFilters().AnyAsync(m => m.Status == MediaStatus.Processing))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The demo media were still processing after a minute.");
            await Task.Delay(200);
        }
    }
}
