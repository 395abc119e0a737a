using System.Text.RegularExpressions;

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
        await Expect(tab.Page.GetByTestId("figure-TrafficBytes")).ToContainTextAsync(new Regex(@"[1-9][\d,.]* (GB|TB)"));
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
}
