using System.Net;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

public sealed class MediaLibraryTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    private async Task<MediaItem> AddMediaAsync(long applicationId, string title)
    {
        var key = await server.Get<IMediaStorage>().SaveAsync(applicationId, new MemoryStream(new byte[2048]));
        await using var db = await server.Get<ApplicationData>().OpenForAsync(applicationId);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = title, Status = MediaStatus.Normal, StorageKey = key, SizeBytes = 2048,
            ContentType = "video/mp4", CoverKey = key, CreatedAt = DateTime.UtcNow,
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
        await using var tab = await fixture.NewPageAsync();
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
    public async Task A_cover_of_another_applications_media_is_not_found_under_this_application()
    {
        var mine = await server.CreateSubApplicationAsync("Covers");
        var other = await server.CreateSubApplicationAsync("OtherCovers");
        var own = await AddMediaAsync(mine.Id, "Own cover");
        var foreign = await AddMediaAsync(other.Id, "Foreign cover");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{mine.Id}/media");
        await tab.SignInAsync();

        var ownCover = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{mine.Id}/media/{own.Id}/cover"));
        var foreignCover = await tab.Page.APIRequest.GetAsync(server.Url($"/apps/{mine.Id}/media/{foreign.Id}/cover"));

        Assert.Equal((int)HttpStatusCode.OK, ownCover.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, foreignCover.Status);
    }
}
