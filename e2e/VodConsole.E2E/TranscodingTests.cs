using System.Text.RegularExpressions;
using VodConsole.Core.Playback;

namespace VodConsole.E2E;

/// <summary>Transcoding in Chromium: a template made on the Transcoding page runs on an uploaded clip from its details page.</summary>
public sealed class TranscodingTests(ConsoleFixture fixture) : IDisposable
{
    private readonly ConsoleServer server = fixture.Server;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-transcode-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public async Task A_template_created_on_its_page_transcodes_an_uploaded_clip_from_the_details_page_to_done_with_its_derivatives_listed()
    {
        var app = await server.CreateSubApplicationAsync("Transcode");
        var other = await server.CreateSubApplicationAsync("Transcode other");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/transcoding");
        await tab.SignInAsync();

        // A template of the application's own: HLS, one 240p rendition (the clip is 320x240).
        await Expect(tab.Page.GetByTestId("preset-name")).ToHaveCountAsync(3);
        await tab.Page.GetByTestId("template-new").ClickAsync();
        await tab.Page.GetByTestId("template-name-input").FillAsync("Small HLS");
        await tab.Page.GetByTestId("rendition-height").FillAsync("240");
        await tab.Page.GetByTestId("rendition-video").FillAsync("400");
        await tab.Page.GetByTestId("rendition-fps").FillAsync("25");
        await tab.Page.GetByTestId("rendition-audio").FillAsync("64");
        await tab.Page.GetByTestId("template-save").ClickAsync();
        await Expect(tab.Page.GetByTestId("template-name")).ToHaveTextAsync("Small HLS");
        await Expect(tab.Page.GetByTestId("template-table").GetByTestId("template-rendition"))
            .ToHaveTextAsync("240p · 400 kbit/s · ≤ 25 fps · audio 64 kbit/s");
        await tab.ScreenshotAsync("app-transcoding");

        // An uploaded clip, processed to Normal.
        var name = $"transcode {Guid.NewGuid().ToString("N")[..6]}";
        var video = await TestMedia.VideoAsync(work.FullName, name + ".mp4");
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);
        await Expect(tab.Page.GetByTestId("upload-row").GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });

        // From its details page: "Transcode with ..." the new template, followed until Done.
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.Page.GetByTestId("media-title").Filter(new() { HasText = name }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/apps/{app.Id}/media/[0-9]+$"));
        await Expect(tab.Page.GetByTestId("transcoding-empty")).ToBeVisibleAsync();
        await tab.Page.GetByTestId("transcode-with").ClickAsync();
        await tab.Page.GetByTestId("transcode-template-option").Filter(new() { HasText = "Small HLS" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("transcode-job-template")).ToHaveTextAsync("Small HLS");
        await Expect(tab.Page.GetByTestId("transcode-job-state")).ToHaveTextAsync("Done", new() { Timeout = 60_000 });

        await Expect(tab.Page.GetByTestId("derivative-rendition")).ToHaveTextAsync(["Master playlist", "240p"]);
        await Expect(tab.Page.GetByTestId("derivative-resolution").Last).ToHaveTextAsync("320×240");
        await tab.ScreenshotAsync("app-media-transcoded");

        // The listed URL serves the master playlist; the same job under another application's ID is not found.
        var master = (await tab.Page.GetByTestId("derivative-url").First.TextContentAsync())!.Trim();
        Assert.Matches($"/play/{app.Id}/[0-9]+/outputs/[0-9]+/master.m3u8$", master);
        var response = await tab.Page.APIRequest.GetAsync(master);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("#EXTM3U", await response.TextAsync());
        Assert.Equal("application/vnd.apple.mpegurl", response.Headers["content-type"]);
        var variant = await tab.Page.APIRequest.GetAsync(master.Replace("master.m3u8", "240p/index.m3u8", StringComparison.Ordinal));
        Assert.Contains("#EXT-X-ENDLIST", await variant.TextAsync());
        var foreign = await tab.Page.APIRequest.GetAsync(master.Replace($"/play/{app.Id}/", $"/play/{other.Id}/", StringComparison.Ordinal));
        Assert.Equal(404, foreign.Status);
        var escape = await tab.Page.APIRequest.GetAsync(master.Replace("master.m3u8", "..%2F..%2Fsecret", StringComparison.Ordinal));
        Assert.Equal(404, escape.Status);
    }

    [Fact]
    public async Task The_details_page_plays_the_HLS_ladder_output_adaptively_under_a_signed_tree_prefix()
    {
        var app = await server.CreateSubApplicationAsync("Adaptive");
        // Signing on: the player must reach every variant and segment through the one signed prefix.
        await server.Get<PlaybackSettingsService>().SaveForAsync(app.Id, signingEnabled: true, "AdaptiveKey2026", TestContext.Current.CancellationToken);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await tab.SignInAsync();

        // A 4-second 640x360 clip with sound: the preset's 360p rendition is made, the larger ones skipped.
        var name = $"adaptive {Guid.NewGuid().ToString("N")[..6]}";
        var video = await TestMedia.GenerateAsync(work.FullName, name + ".mp4",
            "-f", "lavfi", "-i", "testsrc=duration=4:size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);
        await Expect(tab.Page.GetByTestId("upload-row").GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });

        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.Page.GetByTestId("media-title").Filter(new() { HasText = name }).ClickAsync();
        await Expect(tab.Page.GetByTestId("media-detail-player")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("media-detail-stream")).Not.ToBeAttachedAsync(); // nothing to choose yet
        await tab.Page.GetByTestId("transcode-with").ClickAsync();
        await tab.Page.GetByTestId("transcode-template-option").Filter(new() { HasText = "HLS adaptive ladder" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("transcode-job-state")).ToHaveTextAsync("Done", new() { Timeout = 90_000 });
        await Expect(tab.Page.GetByTestId("derivative-url").First).ToContainTextAsync(new Regex($"/play/{app.Id}/[0-9]+/outputs/[0-9]+/s/[0-9a-f]+/[0-9a-f]{{64}}/master.m3u8$"));

        // The finished output is offered at once; choosing it plays the master playlist through hls.js (MSE).
        var choice = tab.Page.GetByTestId("media-detail-stream");
        await choice.GetByText("Adaptive (HLS)").ClickAsync();
        var player = tab.Page.GetByTestId("media-detail-hls-player");
        await Expect(player).ToHaveAttributeAsync("data-engine", "hls.js");
        await player.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await tab.Page.WaitForFunctionAsync(
            "() => document.querySelector('[data-testid=media-detail-hls-player]')?.currentTime > 1", null, new() { Timeout = 30_000 });
        await Expect(player).Not.ToHaveAttributeAsync("data-error", new Regex(".+"));
        await tab.ScreenshotAsync("app-media-adaptive");

        // Back to the original file.
        await choice.GetByText("Original").ClickAsync();
        await Expect(tab.Page.GetByTestId("media-detail-player")).ToBeVisibleAsync();
        await Expect(player).Not.ToBeAttachedAsync();
    }
}
