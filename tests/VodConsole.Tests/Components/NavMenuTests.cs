using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;
using VodConsole.Web.Components.Layout;

namespace VodConsole.Tests.Components;

public sealed class NavMenuTests : MudTestContext
{
    [Fact]
    public void Admin_sees_the_account_pages()
    {
        var menu = Render<NavMenu>(p => p.Add(m => m.Role, ConsoleRole.Admin));

        Assert.Equal(["nav-overview", "nav-applications", "nav-packages", "nav-chargeback", "nav-budgets", "nav-configuration", "nav-statistics", "nav-users", "nav-api-keys", "nav-audit", "nav-settings"], TestIds(menu));
        Assert.Equal("/admin/applications", menu.Find("[data-testid='nav-applications']").GetAttribute("href"));
    }

    [Fact]
    public void An_application_sees_its_own_pages_under_its_id()
    {
        var role = new ConsoleRole(1500000042, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false);

        var menu = Render<NavMenu>(p => p.Add(m => m.Role, role));

        Assert.Equal(["nav-overview", "nav-media", "nav-upload", "nav-transcoding", "nav-review", "nav-statistics", "nav-callbacks", "nav-settings", "nav-api-keys", "nav-audit"], TestIds(menu));
        Assert.Equal("/apps/1500000042/overview", menu.Find("[data-testid='nav-overview']").GetAttribute("href"));
    }

    [Fact]
    public void A_read_only_application_has_no_upload_page_in_its_menu()
    {
        var role = new ConsoleRole(1500000042, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false, ApplicationAccess.ReadOnly);

        var menu = Render<NavMenu>(p => p.Add(m => m.Role, role));

        Assert.Equal(["nav-overview", "nav-media", "nav-transcoding", "nav-review", "nav-statistics", "nav-callbacks", "nav-settings", "nav-api-keys"], TestIds(menu));
    }

    [Fact]
    public void The_menu_follows_a_change_of_role()
    {
        var role = new ConsoleRole(1500000042, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false);
        var menu = Render<NavMenu>(p => p.Add(m => m.Role, ConsoleRole.Admin));

        menu.Render(p => p.Add(m => m.Role, role));

        Assert.DoesNotContain("nav-applications", TestIds(menu));
        Assert.Equal("/apps/1500000042/overview", menu.Find("[data-testid='nav-overview']").GetAttribute("href"));
    }

    [Fact]
    public void The_link_of_the_page_shown_or_a_page_below_it_is_marked_current_and_follows_navigation()
    {
        var role = new ConsoleRole(1500000042, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/apps/1500000042/media/77?tab=details");
        var menu = Render<NavMenu>(p => p.Add(m => m.Role, role));

        Assert.Equal(["nav-media"], Current(menu));

        navigation.NavigateTo("/apps/1500000042/statistics");
        menu.WaitForAssertion(() => Assert.Equal(["nav-statistics"], Current(menu)));

        // A page whose name only starts like a menu entry's is not below it.
        navigation.NavigateTo("/apps/1500000042/mediafiles");
        menu.WaitForAssertion(() => Assert.Empty(Current(menu)));
    }

    /// <summary>The links marked as the current page, as a screen reader and the menu's highlight see them.</summary>
    private static List<string> Current(IRenderedComponent<NavMenu> menu) =>
        menu.FindAll("[data-testid^='nav-']")
            .Where(e => e.GetAttribute("aria-current") == "page" && e.ClassList.Contains("active"))
            .Select(e => e.GetAttribute("data-testid")!).ToList();

    private static List<string> TestIds(IRenderedComponent<NavMenu> menu) =>
        menu.FindAll("[data-testid^='nav-']").Select(e => e.GetAttribute("data-testid")!).ToList();
}
