using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;
using VodConsole.Web.Components.Layout;

namespace VodConsole.Tests.Components;

public sealed class RoleSwitcherTests : MudTestContext
{
    private static readonly ConsoleRole Primary = new(1500000001, "Primary application", ApplicationKind.Primary, ApplicationStatus.Enabled, false);
    private static readonly ConsoleRole Marketing = new(1500000002, "Marketing", ApplicationKind.Sub, ApplicationStatus.Enabled, false);
    private static readonly ConsoleRole Archive = new(1500000003, "Archive", ApplicationKind.Sub, ApplicationStatus.Disabled, true);
    private static readonly ConsoleRole[] Roles = [ConsoleRole.Admin, Primary, Marketing, Archive];

    [Fact]
    public void The_open_list_shows_every_role_by_name_with_disabled_and_demo_marks()
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, ConsoleRole.Admin));

        Open(switcher);

        Assert.Equal(["Admin", "Primary application", "Marketing", "Archive"], OptionNames());
        var archive = Option("1500000003");
        Assert.Contains("(disabled)", archive.TextContent);
        Assert.Contains("(demo)", archive.TextContent);
        Assert.DoesNotContain("(disabled)", Option("1500000002").TextContent);
    }

    [Fact]
    public void The_closed_switcher_shows_the_current_roles_name()
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Marketing));

        Assert.Equal("Marketing", switcher.Find("input").GetAttribute("value"));
    }

    [Theory]
    [InlineData("admin", "/admin/overview")]
    [InlineData("1500000001", "/apps/1500000001/overview")]
    [InlineData("1500000003", "/apps/1500000003/overview")]
    public void Choosing_a_role_opens_its_overview(string key, string expectedPath)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Marketing));

        Open(switcher);
        Option(key).Click();

        Assert.Equal(expectedPath, "/" + navigation.ToBaseRelativePath(navigation.Uri));
    }

    [Fact]
    public void Choosing_the_current_role_again_stays_put()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Marketing));

        Open(switcher);
        Option("1500000002").Click();

        Assert.Equal(before, navigation.Uri);
    }

    private static void Open(IRenderedComponent<RoleSwitcher> switcher) =>
        switcher.Find("div.mud-input-control").MouseDown();

    private IElement Option(string key)
    {
        var selector = $"[data-testid='role-option-{key}']";
        Popovers.WaitForAssertion(() => Assert.NotEmpty(Popovers.FindAll(selector)));
        return Popovers.Find(selector);
    }

    private IEnumerable<string> OptionNames() =>
        Popovers.FindAll(".role-option-name").Select(e => e.TextContent.Trim());
}
