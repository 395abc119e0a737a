using System.Text;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

public sealed class UploadTests(ConsoleFixture fixture) : IDisposable
{
    private readonly ConsoleServer server = fixture.Server;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-upload-");

    public void Dispose() => work.Delete(recursive: true);

    private async Task<long> PrimaryIdAsync() =>
        (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;

    private async Task<ConsolePage> OpenUploadPageAsync(long appId)
    {
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{appId}/upload");
        await tab.SignInAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{appId}/upload"));
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        return tab;
    }

    [Fact]
    public async Task The_owner_uploads_a_video_that_is_processed_to_normal()
    {
        var appId = await PrimaryIdAsync();
        var video = await TestMedia.VideoAsync(work.FullName);
        await using var tab = await OpenUploadPageAsync(appId);
        await Expect(tab.Page.GetByTestId("nav-upload")).ToBeVisibleAsync();

        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);

        var row = tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "e2e clip.mp4" });
        await Expect(row.GetByTestId("upload-progress")).ToHaveTextAsync("Done");
        await Expect(row.GetByTestId("upload-speed")).ToContainTextAsync("/s");
        await Expect(row.GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });
        await tab.ScreenshotAsync("app-upload");

        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId);
        var item = await db.Media.AsNoTracking().OrderByDescending(m => m.Id).FirstAsync(m => m.Title == "e2e clip");
        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.Equal((320, 240), (item.Width, item.Height));
        Assert.NotNull(item.CoverKey);
    }

    [Fact]
    public async Task A_file_larger_than_kestrels_default_limit_arrives_and_a_broken_one_ends_failed_with_a_reason()
    {
        var appId = await PrimaryIdAsync();
        // 40 MB, over Kestrel's default 30 MB request limit: the endpoint raises it to Media:MaxUploadBytes.
        var path = Path.Combine(work.FullName, "broken-large.mp4");
        await using (var file = File.Create(path))
        {
            file.Write([0, 0, 0, 0x20, .. "ftypisom"u8]);
            file.SetLength(40_000_000);
        }
        await using var tab = await OpenUploadPageAsync(appId);

        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(path);

        var row = tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "broken-large.mp4" });
        await Expect(row.GetByTestId("upload-progress")).ToHaveTextAsync("Done", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("upload-status")).ToContainTextAsync("Failed", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("upload-status")).ToContainTextAsync("ffprobe could not read the file");
    }

    [Fact]
    public async Task Cancelling_an_upload_stops_it_and_keeps_nothing()
    {
        var appId = await PrimaryIdAsync();
        var path = Path.Combine(work.FullName, "slow.mp4");
        await using (var file = File.Create(path))
        {
            file.Write([0, 0, 0, 0x20, .. "ftypisom"u8]);
            file.SetLength(20_000_000);
        }
        await using var tab = await OpenUploadPageAsync(appId);
        // A slow line, so the upload is still running when Cancel is clicked.
        var cdp = await tab.Page.Context.NewCDPSessionAsync(tab.Page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = 200_000,
        });

        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(path);
        var row = tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "slow.mp4" });
        await Expect(row.GetByTestId("upload-speed")).ToContainTextAsync("/s");
        await row.GetByTestId("upload-cancel").ClickAsync();

        await Expect(row.GetByTestId("upload-status")).ToHaveTextAsync("Cancelled");
        await Expect(row.GetByTestId("upload-cancel")).ToHaveCountAsync(0);
        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId);
        Assert.False(await db.Media.AnyAsync(m => m.Title == "slow"));
    }

    [Fact]
    public async Task A_text_file_renamed_to_mp4_is_refused_with_a_message()
    {
        var appId = await PrimaryIdAsync();
        await using var tab = await OpenUploadPageAsync(appId);

        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(new FilePayload
        {
            Name = "not-a-video.mp4",
            MimeType = "video/mp4",
            Buffer = Encoding.UTF8.GetBytes("Only text, whatever the name says.\n"),
        });

        var row = tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "not-a-video.mp4" });
        await Expect(row.GetByTestId("upload-status")).ToContainTextAsync("not a supported video, audio or image file");
        await Expect(row.GetByTestId("upload-cancel")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_endpoint_answers_not_found_for_an_unknown_application_and_refuses_a_missing_token()
    {
        var appId = await PrimaryIdAsync();
        var known = (await server.Get<ApplicationService>().ListAsync()).Select(a => a.Id).ToHashSet();
        var unknown = Enumerable.Range(1, 100).Select(i => 9_000_000_000L + i).First(id => !known.Contains(id));
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();
        var request = new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["X-File-Name"] = "clip.mp4", ["Content-Type"] = "application/octet-stream" },
            DataByte = [0, 0, 0, 0x20, .. "ftypisom"u8],
        };

        var missing = await tab.Page.APIRequest.PostAsync(server.Url($"/apps/{unknown}/media/upload"), request);
        var withoutToken = await tab.Page.APIRequest.PostAsync(server.Url($"/apps/{appId}/media/upload"), request);

        Assert.Equal(404, missing.Status);
        Assert.Equal(400, withoutToken.Status);
    }

    [Fact]
    public async Task The_configured_limit_is_shown_checked_in_the_browser_and_enforced_by_the_endpoint()
    {
        await using var small = ConsoleServer.Start(maxUploadBytes: 1_000);
        var appId = (await small.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        await using var tab = await fixture.NewPageAsync(small);
        await tab.GotoAsync($"/apps/{appId}/upload");
        await tab.SignInAsync();
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await Expect(tab.Page.GetByTestId("upload-drop-zone")).ToContainTextAsync("up to 1 KB each");
        byte[] tooLarge = [0, 0, 0, 0x20, .. "ftypisom"u8, .. new byte[2_000]];

        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(new FilePayload { Name = "big.mp4", MimeType = "video/mp4", Buffer = tooLarge });
        var direct = await tab.Page.APIRequest.PostAsync(small.Url($"/apps/{appId}/media/upload"), new()
        {
            Headers = new Dictionary<string, string> { ["X-File-Name"] = "big.mp4", ["Content-Type"] = "application/octet-stream" },
            DataByte = tooLarge,
        });

        var row = tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "big.mp4" });
        await Expect(row.GetByTestId("upload-status")).ToContainTextAsync("larger than the upload limit");
        Assert.Equal(413, direct.Status);
        Assert.Contains("larger than the upload limit", await direct.TextAsync());
        await using var db = await small.Get<ApplicationData>().OpenForAsync(appId);
        Assert.False(await db.Media.AnyAsync());
    }
}
