using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Web.Api;

namespace VodConsole.Tests.Components;

/// <summary>The API keys page as its users drive it: create (secret shown once), disable, delete; read-only users only look.</summary>
public sealed class ApiKeysPageTests : ConsoleComponentContext
{
    private async Task<long> CreateApplicationAsync(string name) =>
        (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync(name, null)).Id;

    private IRenderedComponent<ApiKeys> RenderPage(long appId) => Render<ApiKeys>(p => p.Add(d => d.AppId, appId));

    private async Task<ApiKey> StoredKeyAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync();
    }

    private async Task ClickDialogButtonAsync(string text)
    {
        Dialogs.WaitForAssertion(() => Assert.Single(Dialogs.FindAll("button"), b => b.TextContent.Trim() == text));
        await Dialogs.FindButtonAndClickAsync(text);
    }

    [Fact]
    public async Task A_key_the_console_disabled_shows_why_and_enabling_it_clears_the_reason()
    {
        var app = await CreateApplicationAsync("Custody");
        await EnterApplicationAsync(app);
        await Services.GetRequiredService<ApiKeyService>().CreateAsync("Integration", ApplicationAccess.Full);
        const string reason = "left@vod.test, whose access this key follows, was removed (2026-11-27).";
        await using (var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            await db.ApiKeys.ExecuteUpdateAsync(set => set.SetProperty(k => k.IsEnabled, false).SetProperty(k => k.DisabledReason, reason));
        }
        var page = RenderPage(app);

        Assert.Equal(reason, page.WaitForElement("[data-testid='api-key-disabled-reason']").TextContent.Trim());
        await page.FindAndClickAsync("[data-testid='api-key-toggle']");
        await ClickDialogButtonAsync("Enable");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='api-key-disabled-reason']")));
        var key = await StoredKeyAsync();
        Assert.Equal((true, (string?)null, (string?)OwnerId), (key.IsEnabled, key.DisabledReason, key.ResponsibleUserId));
    }

    [Fact]
    public async Task An_operator_creates_a_key_sees_its_secret_once_then_disables_and_deletes_it()
    {
        var app = await CreateApplicationAsync("Keys");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);
        page.WaitForElement("[data-testid='api-keys-empty']");
        Assert.Contains($"SubAppId={app}", page.Find("[data-testid='api-keys-usage']").TextContent);

        await page.FindAndClickAsync("[data-testid='api-key-create']");
        Dialogs.WaitForElement("[data-testid='api-key-name-input']");
        await Dialogs.FindAndInputAsync("[data-testid='api-key-name-input']", "Transcoder");
        Dialogs.WaitForElement("[data-testid='api-key-access-readonly']");
        await Dialogs.FindInputAndClickAsync("[data-testid='api-key-access-readonly']");
        await Dialogs.FindAndClickAsync("[data-testid='api-key-save']");

        var secret = Dialogs.WaitForElement("[data-testid='api-key-secret']").TextContent.Trim();
        var stored = await StoredKeyAsync();
        Assert.Equal(secret, Services.GetRequiredService<ApiKeySecrets>().Unprotect(stored.ProtectedSecret));
        Assert.Equal(stored.KeyId, Dialogs.Find("[data-testid='api-key-created-id']").TextContent.Trim());
        Assert.Equal(("Transcoder", ApplicationAccess.ReadOnly, app), (stored.Name, stored.Access, stored.ApplicationId));
        await Dialogs.FindAndClickAsync("[data-testid='api-key-secret-done']");

        // Shown once: gone with the dialog, and not on the page.
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='api-key-secret']")));
        page.WaitForAssertion(() => Assert.Equal(stored.KeyId, page.Find("[data-testid='api-key-row']").GetAttribute("data-key-id")));
        Assert.DoesNotContain(secret, page.Markup + Dialogs.Markup);
        Assert.Equal("Read-only", page.Find("[data-testid='api-key-row']").ParentElement!.Children[2].TextContent.Trim());
        Assert.Equal("Never", page.Find("[data-testid='api-key-last-used']").TextContent.Trim());

        await page.FindAndClickAsync("[data-testid='api-key-toggle']");
        await ClickDialogButtonAsync("Disable");
        page.WaitForAssertion(() => Assert.Equal("Disabled", page.Find("[data-testid='api-key-status']").TextContent.Trim()));
        Assert.False((await StoredKeyAsync()).IsEnabled);
        Assert.Equal("Enable", page.Find("[data-testid='api-key-toggle']").TextContent.Trim());

        await page.FindAndClickAsync("[data-testid='api-key-delete']");
        await ClickDialogButtonAsync("Delete");
        page.WaitForElement("[data-testid='api-keys-empty']");
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        Assert.Empty(db.ApiKeys);
    }

    [Fact]
    public async Task A_name_is_required_and_the_dialog_says_so()
    {
        var app = await CreateApplicationAsync("Unnamed");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);

        await ClickCreateAsync(page);
        Dialogs.WaitForElement("[data-testid='api-key-save']");
        await Dialogs.FindAndClickAsync("[data-testid='api-key-save']");

        Dialogs.WaitForAssertion(() => Assert.Contains("Enter a name", Dialogs.Markup));
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        Assert.Empty(db.ApiKeys);
    }

    [Fact]
    public async Task A_name_longer_than_the_limit_is_counted_and_refused_not_cut()
    {
        var app = await CreateApplicationAsync("Long name");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);
        var tooLong = new string('k', ApiKey.NameMaxLength + 10);

        await ClickCreateAsync(page);
        var input = Dialogs.WaitForElement("[data-testid='api-key-name-input']");
        Assert.NotEqual($"{ApiKey.NameMaxLength}", input.GetAttribute("maxlength")); // the browser would cut the name silently
        await Dialogs.FindAndInputAsync("[data-testid='api-key-name-input']", tooLong);
        Dialogs.WaitForAssertion(() => Assert.Contains($"{tooLong.Length} / {ApiKey.NameMaxLength}", Dialogs.Markup));
        await Dialogs.FindAndClickAsync("[data-testid='api-key-save']");

        Dialogs.WaitForAssertion(() => Assert.Contains($"The name is {tooLong.Length} characters long; at most {ApiKey.NameMaxLength} are allowed.", Dialogs.Markup));
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        Assert.Empty(db.ApiKeys);
    }

    [Fact]
    public async Task A_read_only_user_sees_the_keys_without_any_control()
    {
        var app = await CreateApplicationAsync("Watched");
        await EnterApplicationAsync(app);
        await Services.GetRequiredService<ApiKeyService>().CreateAsync("Existing key", ApplicationAccess.Full);
        var viewer = new ConsoleUser { UserName = "viewer@vod.test", Email = "viewer@vod.test" };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(viewer, TestConsole.OwnerPassword);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = viewer.Id, ApplicationId = app, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var catalog = (await Services.GetRequiredService<RoleResolver>().LoadCatalogAsync(viewer.Id))!;
        Services.GetRequiredService<RoleContext>().Enter(catalog, catalog.Resolve(new RoleRoute(RoleRouteKind.Application, app)));

        var page = RenderPage(app);

        page.WaitForAssertion(() => Assert.Contains("Existing key", page.Find("[data-testid='api-keys-table']").TextContent));
        Assert.Empty(page.FindAll("[data-testid='api-key-create']"));
        Assert.Empty(page.FindAll("[data-testid='api-key-toggle']"));
        Assert.Empty(page.FindAll("[data-testid='api-key-delete']"));
        Assert.NotEmpty(page.FindAll("[data-testid='api-reference-link']"));
    }

    [Fact]
    public async Task The_admin_page_manages_account_keys()
    {
        var catalog = (await Services.GetRequiredService<RoleResolver>().LoadCatalogAsync(OwnerId))!;
        Services.GetRequiredService<RoleContext>().Enter(catalog, ConsoleRole.Admin);
        var page = Render<AdminApiKeys>();

        await ClickCreateAsync(page);
        Dialogs.WaitForElement("[data-testid='api-key-name-input']");
        await Dialogs.FindAndInputAsync("[data-testid='api-key-name-input']", "Nightly report");
        Assert.Empty(Dialogs.FindAll("[data-testid='api-key-access']"));
        await Dialogs.FindAndClickAsync("[data-testid='api-key-save']");
        Dialogs.WaitForElement("[data-testid='api-key-secret-done']");
        await Dialogs.FindAndClickAsync("[data-testid='api-key-secret-done']");

        page.WaitForAssertion(() => Assert.Contains("Account (every application)", page.Find("[data-testid='api-keys-table']").TextContent));
        Assert.Null((await StoredKeyAsync()).ApplicationId);
    }

    /// <summary>Clicks "Create key" once the page has loaded its keys (until then the button is disabled).</summary>
    private static async Task ClickCreateAsync<TPage>(IRenderedComponent<TPage> page) where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid='api-key-create']").HasAttribute("disabled")));
        await page.FindAndClickAsync("[data-testid='api-key-create']");
    }
}
