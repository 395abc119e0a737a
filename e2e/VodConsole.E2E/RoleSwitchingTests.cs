using System.Text.RegularExpressions;
using VodConsole.Core.Applications;

namespace VodConsole.E2E;

public sealed class RoleSwitchingTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    [Fact]
    public async Task Switching_admin_to_primary_to_sub_application_and_back_changes_url_role_menu_and_page()
    {
        var sub = await server.CreateSubApplicationAsync("Switching");
        var primary = (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/overview"));
        await Expect(tab.CurrentRole).ToHaveTextAsync("Admin");
        Assert.Equal(["overview", "applications", "packages", "chargeback", "budgets", "configuration", "statistics", "users", "api-keys", "audit", "settings"], await tab.NavSlugsAsync());
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Service Overview" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("admin-overview");

        await tab.SwitchRoleAsync(primary.Id.ToString());
        await Expect(tab.CurrentRole).ToHaveTextAsync(primary.Name);
        Assert.Equal(["overview", "media", "upload", "transcoding", "review", "statistics", "callbacks", "settings", "api-keys", "audit"], await tab.NavSlugsAsync());
        await Expect(tab.Page.GetByTestId("detail-id")).ToHaveTextAsync(primary.Id.ToString());

        await tab.SwitchRoleAsync(sub.Id.ToString());
        await Expect(tab.CurrentRole).ToHaveTextAsync(sub.Name);
        await Expect(tab.Page.GetByTestId("nav-overview")).ToHaveAttributeAsync("href", new Regex($"/apps/{sub.Id}/overview$"));
        await Expect(tab.Page.GetByTestId("detail-name")).ToHaveTextAsync(sub.Name);
        await Expect(tab.Page.GetByTestId("detail-id")).ToHaveTextAsync(sub.Id.ToString());
        await tab.ScreenshotAsync("sub-application-overview");

        await tab.SwitchRoleAsync("admin");
        await Expect(tab.CurrentRole).ToHaveTextAsync("Admin");
        await tab.Page.GetByTestId("nav-applications").ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/applications"));
        await Expect(tab.Page.GetByTestId("applications-table")).ToContainTextAsync(sub.Name);
        await Expect(tab.Page.GetByTestId("applications-table")).ToContainTextAsync(sub.Id.ToString());
        await tab.ScreenshotAsync("admin-applications");
    }

    [Fact]
    public async Task The_switcher_lists_admin_primary_and_sub_applications_with_disabled_ones_marked()
    {
        var enabled = await server.CreateSubApplicationAsync("Listed");
        var disabled = await server.CreateSubApplicationAsync("Stopped");
        await using (var db = await server.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<VodConsole.Core.Data.VodDbContext>>().CreateDbContextAsync())
        {
            var row = await db.Applications.FindAsync(disabled.Id);
            row!.Status = ApplicationStatus.Disabled;
            await db.SaveChangesAsync();
        }
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        await tab.Switcher.ClickAsync();

        await Expect(tab.Page.GetByTestId("role-option-admin")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId($"role-option-{enabled.Id}")).ToContainTextAsync(enabled.Name);
        await Expect(tab.Page.GetByTestId($"role-option-{enabled.Id}")).Not.ToContainTextAsync("(disabled)");
        await Expect(tab.Page.GetByTestId($"role-option-{disabled.Id}")).ToContainTextAsync("(disabled)");
        var firstLine = (await tab.Page.GetByTestId($"role-option-{disabled.Id}").InnerTextAsync()).Split('\n')[0].Trim();
        Assert.Equal(disabled.Name, firstLine);
        await tab.ScreenshotAsync("switcher-open");
    }

    [Fact]
    public async Task Typing_in_the_switcher_finds_a_role_by_id_or_name_and_the_keyboard_alone_opens_it()
    {
        var first = await server.CreateSubApplicationAsync("Findme");
        var second = await server.CreateSubApplicationAsync("Findme");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();
        var options = tab.Page.Locator("[data-testid^='role-option-']");

        // By ID: reach the switcher (it opens, its text selected), type, Enter.
        await FocusSwitcherAsync(tab);
        await tab.Page.Keyboard.TypeAsync(first.Id.ToString());
        await Expect(options).ToHaveCountAsync(1);
        await Expect(tab.Page.GetByTestId($"role-option-{first.Id}")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("switcher-filtered");
        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{first.Id}/overview"));
        await Expect(tab.CurrentRole).ToContainTextAsync(first.Name);

        // By part of a name, any case: the first match is highlighted; an arrow moves to the next.
        await FocusSwitcherAsync(tab);
        await tab.Page.Keyboard.TypeAsync("FINDME");
        await Expect(options).ToHaveCountAsync(2);
        var listed = await Task.WhenAll((await options.AllAsync()).Select(o => o.GetAttributeAsync("data-testid")));
        Assert.Equal(new[] { $"role-option-{first.Id}", $"role-option-{second.Id}" }.Order(), listed.Order());
        await tab.Page.Keyboard.PressAsync("ArrowDown");
        await tab.Page.Keyboard.PressAsync("Enter");
        var chosen = listed[1]!["role-option-".Length..];
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{chosen}/overview"));

        // Escape leaves the role as it was, and the field shows its name again.
        await FocusSwitcherAsync(tab);
        await tab.Page.Keyboard.TypeAsync("no role is called this");
        await Expect(tab.Page.GetByTestId("role-no-match")).ToBeVisibleAsync();
        await tab.Page.Keyboard.PressAsync("Escape");
        await tab.Page.Keyboard.PressAsync("Tab");
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{chosen}/overview"));
        await Expect(tab.Switcher).ToHaveValueAsync(chosen == first.Id.ToString() ? first.Name : second.Name);
    }

    /// <summary>Moves the keyboard focus into the switcher, as Tab does, and waits for the list it opens.</summary>
    private static async Task FocusSwitcherAsync(ConsolePage tab)
    {
        if (await tab.Switcher.EvaluateAsync<bool>("input => input === document.activeElement"))
        {
            await tab.Page.Keyboard.PressAsync("Shift+Tab"); // still there after the last choice: leave, to come back
        }
        await tab.Switcher.FocusAsync();
        await Expect(tab.Page.GetByTestId("role-option-admin")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_deep_link_into_a_sub_application_opens_it_after_sign_in()
    {
        var sub = await server.CreateSubApplicationAsync("Deep");
        await using var tab = await fixture.NewPageAsync();

        await tab.Page.GotoAsync(server.Url($"/apps/{sub.Id}/overview"));
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
        await tab.SignInAsync();

        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{sub.Id}/overview"));
        await Expect(tab.CurrentRole).ToHaveTextAsync(sub.Name);
    }

    [Fact]
    public async Task Two_tabs_hold_two_roles_at_once_and_reload_keeps_each()
    {
        var sub = await server.CreateSubApplicationAsync("TwoTabs");
        await using var first = await fixture.NewPageAsync();
        await first.GotoAsync("/admin/applications");
        await first.SignInAsync();
        var second = new ConsolePage(await first.Page.Context.NewPageAsync(), server);

        await second.GotoAsync($"/apps/{sub.Id}/overview");
        await first.Page.ReloadAsync();
        await first.WaitForInteractiveAsync();
        await second.Page.ReloadAsync();
        await second.WaitForInteractiveAsync();

        await Expect(first.CurrentRole).ToHaveTextAsync("Admin");
        await Expect(first.Page).ToHaveURLAsync(server.Url("/admin/applications"));
        await Expect(second.CurrentRole).ToHaveTextAsync(sub.Name);
        await Expect(second.Page).ToHaveURLAsync(server.Url($"/apps/{sub.Id}/overview"));

        // Each tab keeps acting in its own role.
        await first.Page.GetByTestId("nav-overview").ClickAsync();
        await Expect(first.Page).ToHaveURLAsync(server.Url("/admin/overview"));
        await second.Page.GetByTestId("nav-overview").ClickAsync();
        await Expect(second.CurrentRole).ToHaveTextAsync(sub.Name);
    }

    [Fact]
    public async Task Back_and_forward_restore_the_role_of_each_page()
    {
        var sub = await server.CreateSubApplicationAsync("History");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();
        await tab.SwitchRoleAsync(sub.Id.ToString());

        await tab.Page.GoBackAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/overview"));
        await Expect(tab.CurrentRole).ToHaveTextAsync("Admin");

        await tab.Page.GoForwardAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{sub.Id}/overview"));
        await Expect(tab.CurrentRole).ToHaveTextAsync(sub.Name);
    }

    [Fact]
    public async Task The_root_opens_the_last_role_which_is_remembered_across_sign_ins()
    {
        var sub = await server.CreateSubApplicationAsync("Remembered");
        var email = await server.CreateUserAsync("remember");
        await using (var tab = await fixture.NewPageAsync())
        {
            await tab.GotoAsync("/");
            await tab.SignInAsync(email, ConsoleServer.UserPassword);
            await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/overview"));

            await tab.SwitchRoleAsync(sub.Id.ToString());
            await tab.Page.GetByTestId("sign-out").ClickAsync();
            await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
        }

        await using var later = await fixture.NewPageAsync();
        await later.GotoAsync("/");
        await later.SignInAsync(email, ConsoleServer.UserPassword);

        await Expect(later.Page).ToHaveURLAsync(server.Url($"/apps/{sub.Id}/overview"));
        await Expect(later.CurrentRole).ToHaveTextAsync(sub.Name);
    }
}
