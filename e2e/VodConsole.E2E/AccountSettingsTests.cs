using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Packages;

namespace VodConsole.E2E;

/// <summary>Changes the whole account, so it runs on a console of its own.</summary>
public sealed class AccountSettingsTests(ConsoleFixture fixture) : IAsyncLifetime
{
    private ConsoleServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = ConsoleServer.Start();
        await server.EnableSubApplicationsAsync();
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task Suspending_disables_every_application_and_resuming_restores_each_status()
    {
        var running = await server.CreateSubApplicationAsync("Running");
        var stopped = await server.CreateSubApplicationAsync("Stopped");
        await server.Get<ApplicationService>().SetStatusAsync(stopped.Id, ApplicationStatus.Disabled, stopped.Version);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/admin/settings");
        await tab.SignInAsync();

        await tab.Page.GetByTestId("suspend-service").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Suspend", Exact = true }).ClickAsync();
        await Expect(tab.Page.GetByTestId("service-status")).ToHaveTextAsync("Suspended");
        await tab.Switcher.ClickAsync();
        await Expect(tab.Page.GetByTestId($"role-option-{running.Id}")).ToContainTextAsync("(disabled)");
        await tab.Page.Keyboard.PressAsync("Escape");
        await tab.Page.GetByTestId("nav-overview").ClickAsync();
        await Expect(tab.Page.GetByTestId("figure-service-status")).ToContainTextAsync("Suspended");

        await tab.Page.GetByTestId("nav-settings").ClickAsync();
        await tab.Page.GetByTestId("resume-service").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = true }).ClickAsync();
        await Expect(tab.Page.GetByTestId("service-status")).ToHaveTextAsync("Active");

        var statuses = (await server.Get<ApplicationService>().ListAsync()).ToDictionary(a => a.Id, a => a.Status);
        Assert.Equal(ApplicationStatus.Enabled, statuses[running.Id]);
        Assert.Equal(ApplicationStatus.Disabled, statuses[stopped.Id]);
    }

    [Fact]
    public async Task Switching_billing_mode_asks_first_and_is_shown_on_the_overview()
    {
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/admin/settings");
        await tab.SignInAsync();

        await tab.Page.GetByTestId("switch-billing-mode").ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("frozen");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Switch to Monthly" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("billing-mode")).ToHaveTextAsync("Monthly");

        await tab.Page.GetByTestId("nav-overview").ClickAsync();
        await Expect(tab.Page.GetByTestId("figure-billing-mode")).ToContainTextAsync("Monthly");
        Assert.Equal(BillingMode.Monthly, (await server.Get<AccountService>().GetAsync()).BillingMode);
    }

    [Fact]
    public async Task Monthly_billing_freezes_the_packages_and_daily_billing_unfreezes_those_still_valid()
    {
        var ledger = server.Get<PackageLedger>();
        await ledger.RegisterAsync(PackageType.Review, 600 * PackageRules.SecondsPerMinute, ledger.Today, ledger.Today.AddMonths(6));
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/admin/packages");
        await tab.SignInAsync();
        var status = tab.Page.GetByTestId("packages-table").GetByTestId("package-status");
        await Expect(status).ToHaveTextAsync("Effective");

        await SwitchBillingAsync(tab, "Monthly");
        await tab.Page.GetByTestId("nav-packages").ClickAsync();
        await Expect(status).ToHaveTextAsync("Frozen");
        await tab.ScreenshotAsync("packages-frozen");

        await SwitchBillingAsync(tab, "Daily");
        await tab.Page.GetByTestId("nav-packages").ClickAsync();
        await Expect(status).ToHaveTextAsync("Effective");
    }

    private static async Task SwitchBillingAsync(ConsolePage tab, string mode)
    {
        await tab.Page.GetByTestId("nav-settings").ClickAsync();
        await tab.Page.GetByTestId("switch-billing-mode").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = $"Switch to {mode}" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("billing-mode")).ToHaveTextAsync(mode);
    }
}
