using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VodConsole.Core.Applications;

namespace VodConsole.E2E;

/// <summary>Pull from URL in Chromium, from a file server the test runs on 127.0.0.1.</summary>
public sealed class PullFromUrlTests(ConsoleFixture fixture) : IAsyncLifetime
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-pull-");
    private LocalHttpServer files = null!;

    public async ValueTask InitializeAsync()
    {
        var video = await TestMedia.VideoAsync(work.FullName, "pulled clip.mp4");
        files = await LocalHttpServer.StartAsync(app => app.MapGet("/videos/pulled clip.mp4", () => Results.File(video, "video/mp4")));
    }

    public async ValueTask DisposeAsync()
    {
        await files.DisposeAsync();
        work.Delete(recursive: true);
    }

    private static async Task<ConsolePage> OpenPullTabAsync(ConsolePage tab, long appId)
    {
        await tab.GotoAsync($"/apps/{appId}/upload");
        await tab.SignInAsync();
        await Expect(tab.Page).ToHaveURLAsync(tab.Server.Url($"/apps/{appId}/upload"));
        await tab.Page.GetByRole(AriaRole.Tab, new() { Name = "Pull from URL" }).ClickAsync();
        return tab;
    }

    [Fact]
    public async Task The_owner_pulls_a_video_from_a_url_and_finds_it_processed_in_the_media_library()
    {
        // The shared console keeps the default (loopback refused); this one may reach the test's file server.
        await using var server = ConsoleServer.Start(allowPrivateTargets: true);
        var appId = (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        var url = files.Url("/videos/pulled%20clip.mp4");
        await using var tab = await OpenPullTabAsync(await fixture.NewPageAsync(server), appId);

        await tab.Page.GetByTestId("pull-urls").FillAsync(url);
        await tab.Page.GetByTestId("pull-submit").ClickAsync();

        var row = tab.Page.GetByTestId("pull-row").Filter(new() { HasText = url });
        await Expect(row.GetByTestId("pull-state")).ToHaveTextAsync("Done", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("pull-media")).ToHaveTextAsync("pulled clip");
        await Expect(row.GetByTestId("pull-media-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });
        await Expect(tab.Page.GetByTestId("pull-urls")).ToHaveValueAsync("");
        await tab.ScreenshotAsync("app-upload-pull");

        await row.GetByTestId("pull-media").ClickAsync();

        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{appId}/media"));
        var media = tab.Page.GetByTestId("media-table").Locator("tr").Filter(new() { HasText = "pulled clip" });
        await Expect(media.GetByTestId("media-status")).ToHaveTextAsync("Normal");
        await Expect(media).ToContainTextAsync("320×240");
    }

    [Fact]
    public async Task By_default_a_url_on_the_servers_own_network_is_refused_at_submit_naming_the_setting()
    {
        var app = await fixture.Server.CreateSubApplicationAsync("Pull");
        var url = files.Url("/videos/pulled%20clip.mp4");
        await using var tab = await OpenPullTabAsync(await fixture.NewPageAsync(), app.Id);

        await tab.Page.GetByTestId("pull-urls").FillAsync(url + "\nhttp://LOCALHOST.:8080/a.mp4");
        await tab.Page.GetByTestId("pull-submit").ClickAsync();

        await Expect(tab.Page.GetByText("Line 1 (").First).ToContainTextAsync("127.0.0.1 is a loopback address");
        await Expect(tab.Page.GetByText("Line 1 (").First).ToContainTextAsync("list it in Network:AllowedPrivateNetworks");
        await Expect(tab.Page.GetByText("Line 2 (http://LOCALHOST.:8080/a.mp4): localhost. is a loopback address", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("pull-row")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_list_with_a_bad_line_is_refused_with_the_line_named()
    {
        var app = await fixture.Server.CreateSubApplicationAsync("PullList");
        await using var tab = await OpenPullTabAsync(await fixture.NewPageAsync(), app.Id);

        await tab.Page.GetByTestId("pull-urls").FillAsync("https://example.com/a.mp4\nftp://example.com/b.mp4");
        await tab.Page.GetByTestId("pull-submit").ClickAsync();

        await Expect(tab.Page.GetByText("Line 2 (ftp://example.com/b.mp4): only http and https URLs can be pulled.")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("pull-row")).ToHaveCountAsync(0);
    }
}
