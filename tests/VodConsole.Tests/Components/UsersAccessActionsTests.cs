using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Web.Access;

namespace VodConsole.Tests.Components;

/// <summary>The Users & access page offers only what the service would do, and says why not where it would refuse.</summary>
public sealed class UsersAccessActionsTests : ConsoleComponentContext
{
    private async Task<(IRenderedComponent<UsersAccess> Page, string EditorId)> RenderAsync()
    {
        var editorId = (await Services.GetRequiredService<UserAccessService>().AddAsync("editor@vod.test", null)).UserId;
        var page = Render<UsersAccess>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='user-row']").Count));
        return (page, editorId);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<UsersAccess> page, string userId) =>
        page.FindAll("tr").Single(tr => tr.QuerySelector($"[data-user-id='{userId}']") is not null);

    /// <summary>Clicks a control in a user's row, found and clicked in one step (the list re-renders as it loads).</summary>
    private static Task ClickInRowAsync(IRenderedComponent<UsersAccess> page, string userId, string selector) =>
        page.InvokeAsync(() => Row(page, userId).QuerySelector(selector)!.Click());

    [Fact]
    public async Task The_owners_row_offers_lock_and_remove_disabled_with_the_reason_and_other_rows_enabled()
    {
        var (page, editorId) = await RenderAsync();
        var owner = Row(page, OwnerId);
        var editor = Row(page, editorId);

        Assert.True(owner.QuerySelector("[data-testid='user-lock']")!.HasAttribute("disabled"));
        Assert.True(owner.QuerySelector("[data-testid='user-remove']")!.HasAttribute("disabled"));
        Assert.Contains("The account owner cannot be locked.", owner.QuerySelector("[data-testid='user-lock-refused']")!.TextContent);
        Assert.Contains("The account owner cannot be removed.", owner.QuerySelector("[data-testid='user-remove-refused']")!.TextContent);
        Assert.Contains(page.FindComponents<MudTooltip>(), t => t.Instance.Text == "The account owner cannot be removed.");
        Assert.False(editor.QuerySelector("[data-testid='user-lock']")!.HasAttribute("disabled"));
        Assert.False(editor.QuerySelector("[data-testid='user-remove']")!.HasAttribute("disabled"));
        Assert.Null(editor.QuerySelector("[data-testid='user-remove-refused']"));
    }

    [Fact]
    public async Task Removing_someone_asks_with_a_destructive_button_and_cancelling_keeps_them()
    {
        var (page, editorId) = await RenderAsync();

        await ClickInRowAsync(page, editorId, "[data-testid='user-remove']");
        Dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", Dialogs.Markup));
        var confirm = Dialogs.Find("[data-testid='confirm-yes']");
        Assert.Equal(("Remove", "true"), (confirm.TextContent.Trim(), confirm.GetAttribute("data-destructive")));
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        await Dialogs.FindAndClickAsync("[data-testid='confirm-cancel']");

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='confirm-dialog']")));
        Assert.Equal(2, (await Services.GetRequiredService<UserAccessService>().ListAsync()).Count);
    }

    [Fact]
    public async Task The_owners_access_dialog_fixes_the_administrator_switch_and_says_why()
    {
        var (page, _) = await RenderAsync();

        await ClickInRowAsync(page, OwnerId, $"[data-testid='user-access-{OwnerId}']");

        Dialogs.WaitForAssertion(() => Assert.Equal("The account owner is always an Administrator.",
            Dialogs.Find("[data-testid='grant-admin-fixed']").TextContent.Trim()));
        Assert.True(Dialogs.FindComponent<MudSwitch<bool>>().Instance.Disabled);
    }

    [Fact]
    public async Task An_expiring_grant_shows_when_it_ends_and_the_filter_keeps_only_such_users()
    {
        var primary = (await Services.GetRequiredService<VodConsole.Core.Applications.ApplicationService>().ListAsync()).Single().Id;
        var editorId = (await Services.GetRequiredService<UserAccessService>().AddAsync("editor@vod.test", null)).UserId;
        await Services.GetRequiredService<UserAccessService>().SetAccessAsync(editorId, false,
            new Dictionary<long, ApplicationAccess> { [primary] = ApplicationAccess.ReadOnly },
            new Dictionary<long, DateTime> { [primary] = DateTime.UtcNow.AddHours(3).AddMinutes(5) });
        var page = Render<UsersAccess>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='user-row']").Count));

        Assert.EndsWith(": expires in 3 h", Row(page, editorId).QuerySelector("[data-testid='grant-expiry']")!.TextContent.Trim());
        Assert.Null(Row(page, OwnerId).QuerySelector("[data-testid='grant-expiry']"));
        await page.FindComponent<MudSwitch<bool>>().FindAndChangeAsync("input", true);

        page.WaitForAssertion(() => Assert.Equal([editorId], page.FindAll("[data-testid='user-row']").Select(r => r.GetAttribute("data-user-id"))));
    }

    [Fact]
    public async Task View_as_is_offered_for_users_and_refused_with_the_reason_for_administrators()
    {
        var (page, editorId) = await RenderAsync();

        Assert.True(Row(page, OwnerId).QuerySelector("[data-testid='user-view-as']")!.HasAttribute("disabled"));
        Assert.Contains(ViewAsService.AdministratorTargetMessage, Row(page, OwnerId).QuerySelector("[data-testid='user-view-as-refused']")!.TextContent);
        Assert.False(Row(page, editorId).QuerySelector("[data-testid='user-view-as']")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Starting_to_view_as_a_user_loads_the_console_afresh_as_they_see_it()
    {
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo("/admin/users");
        var (page, editorId) = await RenderAsync();
        var owner = (await Services.GetRequiredService<RoleResolver>().LoadCatalogAsync(OwnerId))!;
        Services.GetRequiredService<RoleContext>().Enter(owner, ConsoleRole.Admin); // a person starts it, never system work

        await ClickInRowAsync(page, editorId, "[data-testid='user-view-as']");
        Dialogs.WaitForElement("[data-testid='confirm-yes']");
        await Dialogs.FindAndClickAsync("[data-testid='confirm-yes']");

        // The list is not reloaded (the viewed user may not see it, and the page would fail): the whole console is.
        page.WaitForAssertion(() => Assert.Equal("http://localhost/", navigation.Uri));
        Assert.True(navigation.History.First().Options.ForceLoad);
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        Assert.Equal(editorId, await db.ViewAsSessions.Select(s => s.ViewedUserId).SingleAsync());
    }
}
