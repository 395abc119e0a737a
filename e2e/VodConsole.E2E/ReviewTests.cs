using System.Text.RegularExpressions;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;

namespace VodConsole.E2E;

/// <summary>Review in Chromium: with Manual review an uploaded clip waits in the queue with its storyboard and plays only once approved.</summary>
public sealed class ReviewTests(ConsoleFixture fixture) : IDisposable
{
    private readonly ConsoleServer server = fixture.Server;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-review-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public async Task With_manual_review_an_upload_waits_in_the_queue_with_its_storyboard_and_plays_once_approved()
    {
        var app = await server.CreateSubApplicationAsync("Reviewed");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/review");
        await tab.SignInAsync();

        await Expect(tab.Page.GetByTestId("review-queue-empty")).ToBeVisibleAsync();
        await tab.Page.GetByTestId("review-mode-select").ClickAsync();
        await tab.Page.Locator(".mud-popover-open").GetByText("Manual", new() { Exact = true }).ClickAsync();
        await tab.Page.GetByTestId("review-mode-save").ClickAsync();
        await Expect(tab.Page.GetByTestId("review-mode-save")).ToBeDisabledAsync();

        var name = $"review {Guid.NewGuid().ToString("N")[..6]}";
        var video = await TestMedia.VideoAsync(work.FullName, name + ".mp4");
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);
        await Expect(tab.Page.GetByTestId("upload-row").GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });

        // The details page says why it does not play; the playback domain answers 403.
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.Page.GetByTestId("media-title").Filter(new() { HasText = name }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/apps/{app.Id}/media/[0-9]+$"));
        var mediaId = long.Parse(new Regex("/media/([0-9]+)$").Match(tab.Page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(tab.Page.GetByTestId("media-playback-refused")).ToContainTextAsync("awaiting review");
        await Expect(tab.Page.GetByTestId("media-review-state")).ToHaveTextAsync("Awaiting review");
        Assert.Equal(403, (await tab.Page.APIRequest.GetAsync(server.Url($"/play/{app.Id}/{mediaId}"))).Status);

        // The queue shows the item with its six frames, each a real image the browser decoded.
        await tab.GotoAsync($"/apps/{app.Id}/review");
        var item = tab.Page.GetByTestId("review-item").Filter(new() { HasText = name });
        await Expect(item.GetByTestId("review-frame")).ToHaveCountAsync(6);
        await Expect(item.GetByTestId("review-frame").Last).ToHaveJSPropertyAsync("naturalWidth", 320);
        await tab.ScreenshotAsync("app-review");

        await item.GetByTestId("review-approve").ClickAsync();
        await Expect(tab.Page.GetByTestId("review-queue-empty")).ToBeVisibleAsync();
        Assert.Equal(200, (await tab.Page.APIRequest.GetAsync(server.Url($"/play/{app.Id}/{mediaId}"))).Status);
        await tab.GotoAsync($"/apps/{app.Id}/media/{mediaId}");
        await Expect(tab.Page.GetByTestId("media-review-state")).ToHaveTextAsync("Approved");
        await Expect(tab.Page.Locator("video[data-testid='media-detail-player']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_blocked_item_is_found_on_the_blocked_tab_and_plays_once_unblocked_after_confirming()
    {
        var app = await server.CreateSubApplicationAsync("Unblock");
        var title = $"blocked {Guid.NewGuid().ToString("N")[..6]}";
        var key = await server.Get<IMediaStorage>().SaveAsync(app.Id, new MemoryStream(new byte[2048]));
        long mediaId;
        await using (var db = await server.Get<ApplicationData>().OpenForAsync(app.Id))
        {
            var blocked = new MediaItem
            {
                ApplicationId = app.Id, Title = title, Status = MediaStatus.Normal, StorageKey = key, SizeBytes = 2048, ContentType = "video/mp4",
                CreatedAt = DateTime.UtcNow, ReviewState = ReviewState.Blocked, ReviewReason = "Shows a licensed logo",
                ReviewedAt = DateTime.UtcNow, ReviewedBy = "first.reviewer@vod.test",
            };
            db.Media.Add(blocked);
            await db.SaveChangesAsync();
            mediaId = blocked.Id;
        }
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/review");
        await tab.SignInAsync();
        Assert.Equal(403, (await tab.Page.APIRequest.GetAsync(server.Url($"/play/{app.Id}/{mediaId}"))).Status);

        await tab.Page.GetByRole(AriaRole.Tab, new() { Name = "Blocked (1)" }).ClickAsync();
        var item = tab.Page.GetByTestId("review-item").Filter(new() { HasText = title });
        await Expect(item.GetByTestId("review-item-decision")).ToContainTextAsync("Blocked by first.reviewer@vod.test");
        await Expect(item.GetByTestId("review-item-decision")).ToContainTextAsync("Reason: Shows a licensed logo");

        // Cancelling the confirmation leaves it blocked; confirming unblocks it.
        await item.GetByTestId("review-unblock").ClickAsync();
        await tab.Page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(tab.Page.GetByTestId("confirm-dialog")).ToHaveCountAsync(0);
        Assert.Equal(403, (await tab.Page.APIRequest.GetAsync(server.Url($"/play/{app.Id}/{mediaId}"))).Status);
        await item.GetByTestId("review-unblock").ClickAsync();
        await Expect(tab.Page.GetByTestId("confirm-message")).ToContainTextAsync("plays again at once");
        await tab.Page.GetByTestId("confirm-yes").ClickAsync();

        await Expect(tab.Page.GetByTestId("review-blocked-empty")).ToBeVisibleAsync();
        Assert.Equal(200, (await tab.Page.APIRequest.GetAsync(server.Url($"/play/{app.Id}/{mediaId}"))).Status);
        await tab.Page.GetByRole(AriaRole.Tab, new() { Name = "Recently approved" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("review-item").Filter(new() { HasText = title }).GetByTestId("review-item-decision"))
            .ToContainTextAsync($"Approved by {ConsoleServer.OwnerEmail}");
        await tab.GotoAsync($"/apps/{app.Id}/media/{mediaId}");
        await Expect(tab.Page.GetByTestId("media-review-state")).ToHaveTextAsync("Approved");
        await Expect(tab.Page.GetByTestId("media-reviewed-by")).ToContainTextAsync($"by {ConsoleServer.OwnerEmail}");
    }
}
