namespace VodConsole.E2E;

/// <summary>A console of its own, fresh from first start: sub-applications are not enabled yet.</summary>
public sealed class FreshConsoleFixture : IAsyncLifetime
{
    public ConsoleServer Server { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Server = ConsoleServer.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

public sealed class EnableSubApplicationsTests(ConsoleFixture fixture, FreshConsoleFixture fresh) : IClassFixture<FreshConsoleFixture>
{
    [Fact]
    public async Task Before_enabling_the_console_is_the_primary_application_and_the_owner_can_enable_sub_applications()
    {
        var server = fresh.Server;
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/");
        await tab.SignInAsync();

        await Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/apps/\\d+/overview$"));
        await Expect(tab.Switcher).ToHaveCountAsync(0);
        await Expect(tab.CurrentRole).ToHaveTextAsync("Primary application");
        Assert.Equal(["overview", "media", "upload", "transcoding", "review", "statistics", "callbacks", "settings", "api-keys", "audit"], await tab.NavSlugsAsync());
        await tab.ScreenshotAsync("before-enabling");

        await tab.Page.GetByTestId("enable-sub-applications").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true }).ClickAsync();

        // The switcher appears without a reload, with the new Admin role in it.
        await Expect(tab.Switcher).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("enable-sub-applications")).ToHaveCountAsync(0);
        await tab.SwitchRoleAsync("admin");
        await Expect(tab.CurrentRole).ToHaveTextAsync("Admin");
        await Expect(tab.Page.GetByTestId("applications-empty")).ToHaveCountAsync(0); // on the overview, not the list
        await tab.Page.GetByTestId("nav-applications").ClickAsync();
        await Expect(tab.Page.GetByTestId("applications-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_pages_do_not_exist_before_sub_applications_are_enabled()
    {
        var server = ConsoleServer.Start();
        await using var _ = server;
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        await Expect(tab.Page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(tab.Switcher).ToHaveCountAsync(0);
    }
}
