using System.Text.RegularExpressions;

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
}
