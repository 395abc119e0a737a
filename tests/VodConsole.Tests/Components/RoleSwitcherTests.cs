using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
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
    private static readonly ConsoleRole Marksmen = new(1500000024, "Marksmen club", ApplicationKind.Sub, ApplicationStatus.Enabled, false);
    private static readonly ConsoleRole[] Roles = [ConsoleRole.Admin, Primary, Marketing, Archive];

    [Fact]
    public async Task The_open_list_shows_every_role_by_name_with_disabled_and_demo_marks()
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, ConsoleRole.Admin));

        await OpenAsync(switcher);

        Popovers.WaitForAssertion(() => Assert.Equal(["Admin", "Primary application", "Marketing", "Archive"], OptionNames()));
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
    public async Task Choosing_a_role_opens_its_overview(string key, string expectedPath)
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Marketing));

        await OpenAsync(switcher);
        await ChooseAsync(key);

        Assert.Equal(expectedPath, CurrentPath());
    }

    [Fact]
    public async Task Choosing_the_current_role_again_stays_put()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Marketing));

        await OpenAsync(switcher);
        await ChooseAsync("1500000002");

        Assert.Equal(before, navigation.Uri);
    }

    [Theory]
    [InlineData("mark", new[] { "Marketing", "Marksmen club" })]
    [InlineData("  ARCH ", new[] { "Archive" })]
    [InlineData("0000002", new[] { "Marketing", "Marksmen club" })]
    [InlineData("1500000001", new[] { "Primary application" })]
    [InlineData("admin", new[] { "Admin" })]
    public async Task Typing_part_of_a_name_or_an_id_narrows_the_list(string typed, string[] expected)
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, [.. Roles, Marksmen]).Add(s => s.Current, Primary));

        await OpenAsync(switcher);
        await switcher.FindAndInputAsync("input", typed);

        Popovers.WaitForAssertion(() => Assert.Equal(expected, OptionNames()));
    }

    [Fact]
    public async Task Typing_what_no_role_has_says_so()
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, Roles).Add(s => s.Current, Primary));

        await OpenAsync(switcher);
        await switcher.FindAndInputAsync("input", "no such role");

        Popovers.WaitForAssertion(() => Assert.Contains("No role has this name or ID", Popovers.Find("[data-testid='role-no-match']").TextContent));
    }

    [Fact]
    public async Task Enter_chooses_the_first_match_and_arrows_move_between_matches()
    {
        var switcher = Render<RoleSwitcher>(p => p.Add(s => s.Roles, [.. Roles, Marksmen]).Add(s => s.Current, Primary));

        await OpenAsync(switcher);
        await switcher.FindAndInputAsync("input", "mark");
        Popovers.WaitForAssertion(() => Assert.Equal(["Marketing", "Marksmen club"], OptionNames()));
        await switcher.InvokeAsync(() => switcher.Find("input").KeyDown(new KeyboardEventArgs { Key = "ArrowDown" }));
        await switcher.InvokeAsync(() => switcher.Find("input").KeyUp(new KeyboardEventArgs { Key = "Enter" }));

        Assert.Equal("/apps/1500000024/overview", CurrentPath());
    }

    [Fact]
    public void Nothing_typed_keeps_every_role_in_the_catalogs_order() =>
        Assert.Equal(Roles, RoleSwitcher.Filter(Roles, "   "));

    /// <summary>A click (mouse down) on the field opens the list, as a person would.</summary>
    private static Task OpenAsync(IRenderedComponent<RoleSwitcher> switcher) =>
        switcher.FindAndOpenInputControlAsync("div.mud-input-control");

    private string CurrentPath()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        return "/" + navigation.ToBaseRelativePath(navigation.Uri);
    }

    private IElement Option(string key)
    {
        WaitForOption(key);
        return Popovers.Find(OptionSelector(key));
    }

    /// <summary>Chooses a role in the open list: waits for its option, then finds and clicks it in one step.</summary>
    private async Task ChooseAsync(string key)
    {
        WaitForOption(key);
        await Popovers.FindAndClickAsync(OptionSelector(key));
    }

    private void WaitForOption(string key) => Popovers.WaitForAssertion(() => Assert.NotEmpty(Popovers.FindAll(OptionSelector(key))));

    private static string OptionSelector(string key) => $"[data-testid='role-option-{key}']";

    private IEnumerable<string> OptionNames() =>
        Popovers.FindAll(".role-option-name").Select(e => e.TextContent.Trim()).ToList();
}
