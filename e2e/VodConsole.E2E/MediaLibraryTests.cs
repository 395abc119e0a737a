using System.Net;
using System.Text.RegularExpressions;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

public sealed class MediaLibraryTests(ConsoleFixture fixture, OwnConsole ownConsole) : IClassFixture<OwnConsole>
{
    private readonly ConsoleServer server = ownConsole.Server;

    private async Task<MediaItem> AddMediaAsync(long applicationId, string title, string? failureReason = null)
    {
        var key = await server.Get<IMediaStorage>().SaveAsync(applicationId, new MemoryStream(new byte[2048]));
        await using var db = await server.Get<ApplicationData>().OpenForAsync(applicationId);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = title, StorageKey = key, SizeBytes = 2048,
            ContentType = "video/mp4", CoverKey = key, CreatedAt = DateTime.UtcNow,
            Status = failureReason is null ? MediaStatus.Normal : MediaStatus.Failed, FailureReason = failureReason,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    [Fact]
    public async Task The_library_lists_only_its_applications_media_and_deletes_after_confirmation()
    {
        var mine = await server.CreateSubApplicationAsync("Library");
        var other = await server.CreateSubApplicationAsync("Elsewhere");
        var kept = await AddMediaAsync(mine.Id, "Keep me " + Guid.NewGuid().ToString("N")[..6]);
        var doomed = await AddMediaAsync(mine.Id, "Delete me " + Guid.NewGuid().ToString("N")[..6]);
        var foreign = await AddMediaAsync(other.Id, "Not yours " + Guid.NewGuid().ToString("N")[..6]);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{mine.Id}/media");
        await tab.SignInAsync();

        var titles = tab.Page.GetByTestId("media-title");
        await Expect(titles).ToHaveTextAsync([doomed.Title, kept.Title]);
        await Expect(tab.Page.GetByText(foreign.Title)).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("media-library");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {doomed.Title}" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("cannot be undone");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(titles).ToHaveTextAsync([kept.Title]);
        Assert.Null(server.Get<IMediaStorage>().OpenRead(doomed.StorageKey));
    }

    [Fact]
    public async Task A_failed_item_says_why_when_the_pointer_rests_on_its_status()
    {
        var app = await server.CreateSubApplicationAsync("Failures");
        await AddMediaAsync(app.Id, "Fine");
        await AddMediaAsync(app.Id, "Broken", failureReason: "ffprobe could not read the file.");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.SignInAsync();

        var statuses = tab.Page.GetByTestId("media-status");
        await Expect(statuses).ToHaveTextAsync(["Failed", "Normal"]);
        await Expect(statuses.First).ToHaveAttributeAsync("title", "ffprobe could not read the file.");
        await Expect(statuses.Last).Not.ToHaveAttributeAsync("title", new Regex("."));
    }

    [Fact]
    public async Task A_cover_of_another_applications_media_is_not_found_under_this_application()
    {
        var mine = await server.CreateSubApplicationAsync("Covers");
        var other = await server.CreateSubApplicationAsync("OtherCovers");
        var own = await AddMediaAsync(mine.Id, "Own cover");
        var foreign = await AddMediaAsync(other.Id, "Foreign cover");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{mine.Id}/media");
        await tab.SignInAsync();

        var ownCover = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{mine.Id}/media/{own.Id}/cover"));
        var foreignCover = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{mine.Id}/media/{foreign.Id}/cover"));

        Assert.Equal((int)HttpStatusCode.OK, ownCover.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, foreignCover.Status);
    }

    [Fact]
    public async Task Searching_finds_media_by_a_word_of_its_title_and_clearing_shows_all_again()
    {
        var app = await server.CreateSubApplicationAsync("Search");
        var marker = "aurora" + Guid.NewGuid().ToString("N")[..6];
        var wanted = await AddMediaAsync(app.Id, $"Northern {marker} timelapse");
        var other = await AddMediaAsync(app.Id, "Harbour at dawn");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.SignInAsync();
        var titles = tab.Page.GetByTestId("media-title");
        await Expect(titles).ToHaveTextAsync([other.Title, wanted.Title]);

        await tab.Page.GetByTestId("media-search").FillAsync(marker[..8]);
        await Expect(titles).ToHaveTextAsync([wanted.Title]);

        await tab.Page.GetByTestId("media-search").FillAsync("nothing-like-this");
        await Expect(tab.Page.GetByTestId("media-empty")).ToContainTextAsync("Nothing matches");

        await tab.Page.GetByTestId("media-search").FillAsync("");
        await Expect(titles).ToHaveTextAsync([other.Title, wanted.Title]);
    }

    [Fact]
    public async Task The_filters_narrow_the_library_by_status_and_order_it_by_title_with_the_keyboard()
    {
        var app = await server.CreateSubApplicationAsync("Filters");
        var broken = await AddMediaAsync(app.Id, "Broken upload", failureReason: "ffprobe could not read the file.");
        var apple = await AddMediaAsync(app.Id, "Apple orchard");
        var zebra = await AddMediaAsync(app.Id, "Zebra crossing");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.SignInAsync();
        var titles = tab.Page.GetByTestId("media-title");
        await Expect(titles).ToHaveTextAsync([zebra.Title, apple.Title, broken.Title]);

        await tab.Page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Failed" });
        await Expect(titles).ToHaveTextAsync([broken.Title]);
        await tab.ScreenshotAsync("media-filtered");

        await tab.Page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "All statuses" });
        // A keyboard user: Tab to the order, and pick "Title A–Z" with the arrow keys.
        await tab.Page.GetByLabel("Sort by").FocusAsync();
        await tab.Page.Keyboard.PressAsync("ArrowDown");
        await tab.Page.Keyboard.PressAsync("ArrowDown");
        await Expect(tab.Page.GetByLabel("Sort by")).ToHaveValueAsync("2");
        await Expect(titles).ToHaveTextAsync([apple.Title, broken.Title, zebra.Title]);
    }

    [Fact]
    public async Task Selected_media_moves_to_another_application_after_confirmation()
    {
        var source = await server.CreateSubApplicationAsync("MoveFrom");
        var target = await server.CreateSubApplicationAsync("MoveTo");
        var first = await AddMediaAsync(source.Id, "Travelling one");
        var second = await AddMediaAsync(source.Id, "Travelling two");
        var stays = await AddMediaAsync(source.Id, "Staying home");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{source.Id}/media");
        await tab.SignInAsync();
        var titles = tab.Page.GetByTestId("media-title");
        await Expect(titles).ToHaveCountAsync(3);

        foreach (var item in new[] { first, second })
        {
            await tab.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = item.Title }).GetByRole(AriaRole.Checkbox).CheckAsync();
        }
        await Expect(tab.Page.GetByTestId("media-selected-count")).ToHaveTextAsync("2 selected");
        await tab.ScreenshotAsync("media-bulk-selection");
        await tab.Page.GetByTestId("bulk-move").ClickAsync();
        await tab.Page.GetByTestId($"bulk-move-{target.Id}").ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Move 2 media items to");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();

        await Expect(tab.Page.Locator(".mud-snackbar")).ToContainTextAsync("Moved 2 media items to");
        await Expect(titles).ToHaveTextAsync([stays.Title]);
        await tab.GotoAsync($"/apps/{target.Id}/media");
        await Expect(titles).ToHaveTextAsync([second.Title, first.Title]);

        // The destination's audit log tells what arrived (the source's tells what left).
        await tab.GotoAsync($"/apps/{target.Id}/audit");
        var arrivals = tab.Page.GetByTestId("audit-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "media.move-in" });
        await Expect(arrivals).ToHaveCountAsync(2);
        await Expect(arrivals.Filter(new() { HasText = first.Title })).ToContainTextAsync(source.Name);
        await tab.ScreenshotAsync("app-audit-move-in");
    }
}
