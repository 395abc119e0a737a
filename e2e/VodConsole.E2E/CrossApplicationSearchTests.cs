using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

/// <summary>The media library's "All my applications" scope, for a user with two grants.</summary>
public sealed class CrossApplicationSearchTests(ConsoleFixture fixture, OwnConsole ownConsole) : IClassFixture<OwnConsole>
{
    private readonly ConsoleServer server = ownConsole.Server;

    private async Task<MediaItem> AddMediaAsync(long applicationId, string title)
    {
        await using var db = await server.Get<ApplicationData>().OpenForAsync(applicationId);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = title, Status = MediaStatus.Normal, StorageKey = $"{applicationId}/{Guid.NewGuid():N}",
            SizeBytes = 2048, ContentType = "video/mp4", CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    [Fact]
    public async Task A_user_with_two_grants_finds_both_applications_media_labelled_and_opens_one_in_its_application()
    {
        var first = await server.CreateSubApplicationAsync("Northwind");
        var second = await server.CreateSubApplicationAsync("Southwind");
        var hidden = await server.CreateSubApplicationAsync("Hidden");
        var marker = "glacier" + Guid.NewGuid().ToString("N")[..6];
        var inFirst = await AddMediaAsync(first.Id, $"{marker} sunrise");
        var inSecond = await AddMediaAsync(second.Id, $"{marker} dusk");
        await AddMediaAsync(hidden.Id, $"{marker} secret");
        var email = await server.CreateUserAsync("two-grants", isAdministrator: false);
        var userId = (await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(email))!.Id;
        await server.Get<UserAccessService>().SetAccessAsync(userId, false,
            new Dictionary<long, ApplicationAccess> { [first.Id] = ApplicationAccess.Full, [second.Id] = ApplicationAccess.ReadOnly });

        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{first.Id}/media");
        await tab.SignInAsync(email, ConsoleServer.UserPassword);
        await tab.WaitForInteractiveAsync();

        // The scope is a named switch, turned on from the keyboard.
        var scope = tab.Page.GetByRole(AriaRole.Switch, new() { Name = "All my applications" });
        await scope.FocusAsync();
        await tab.Page.Keyboard.PressAsync("Space");
        await Expect(scope).ToBeCheckedAsync();
        await Expect(tab.Page.GetByTestId("cross-search-hint")).ToBeVisibleAsync();
        await tab.Page.GetByTestId("media-search").FillAsync(marker);

        var rows = tab.Page.GetByTestId("cross-search-table").Locator("tbody tr");
        await Expect(tab.Page.GetByTestId("cross-search-title")).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = inFirst.Title }).GetByTestId("cross-search-application")).ToHaveTextAsync(first.Name);
        await Expect(rows.Filter(new() { HasText = inSecond.Title }).GetByTestId("cross-search-application")).ToHaveTextAsync(second.Name);
        await Expect(tab.Page.GetByText($"{marker} secret")).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("media-search-all-applications");
        var violations = await AccessibilityTests.AuditAsync(tab, "media library, all my applications");
        Assert.True(violations.Length == 0, violations);

        await tab.Page.GetByTestId("media-search").FillAsync("nothingmatches" + marker);
        await Expect(tab.Page.GetByTestId("cross-search-empty")).ToContainTextAsync("Nothing in your 2 applications matches");

        await tab.Page.GetByTestId("media-search").FillAsync(marker);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = inSecond.Title }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{second.Id}/media/{inSecond.Id}"));
        await Expect(tab.Page.GetByTestId("media-detail-title")).ToHaveTextAsync(inSecond.Title);
        await Expect(tab.CurrentRole).ToContainTextAsync(second.Name);
    }
}
