using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.E2E;

/// <summary>
/// The default processing flow in Chromium (issue 13): a user with Full access to one application sets its default
/// template on the Transcoding page, uploads a clip, and without starting anything by hand follows the job on the media
/// details page (Running with a percentage, then Done) and plays its adaptive HLS output there.
/// </summary>
public sealed class DefaultProcessingTests(ConsoleFixture fixture, OwnConsole own) : IDisposable, IClassFixture<OwnConsole>
{
    private readonly ConsoleServer server = own.Server;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-default-processing-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public async Task A_full_user_s_upload_runs_the_default_template_by_itself_shows_its_progress_and_plays_adaptively()
    {
        var app = await server.CreateSubApplicationAsync("Default processing");
        var email = await server.CreateUserAsync("full", isAdministrator: false);
        var user = await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(email);
        await server.Get<UserAccessService>().SetAccessAsync(user!.Id, false, new Dictionary<long, ApplicationAccess> { [app.Id] = ApplicationAccess.Full });

        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/transcoding");
        await tab.SignInAsync(email, ConsoleServer.UserPassword);

        // The preset ladder as the application's default processing.
        await tab.Page.GetByTestId("default-template").ClickAsync();
        await tab.Page.Locator(".mud-popover-open").GetByText("HLS adaptive ladder", new() { Exact = true }).ClickAsync();
        await tab.Page.GetByTestId("default-save").ClickAsync();
        await Expect(tab.Page.GetByTestId("default-save")).ToBeDisabledAsync();

        // A 40-second 640x360 clip with sound: long enough that the job is seen running; the ladder makes its 360p rendition.
        var name = $"default {Guid.NewGuid().ToString("N")[..6]}";
        var video = await TestMedia.GenerateAsync(work.FullName, name + ".mp4",
            "-f", "lavfi", "-i", "testsrc=duration=40:size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);
        await Expect(tab.Page.GetByTestId("upload-row").GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });

        // Nobody starts it: the details page shows the default template's job moving, then done.
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.Page.GetByTestId("media-title").Filter(new() { HasText = name }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/apps/{app.Id}/media/[0-9]+$"));
        var job = tab.Page.GetByTestId("transcode-job");
        await Expect(job.GetByTestId("transcode-job-template")).ToHaveTextAsync("HLS adaptive ladder");
        await Expect(job.GetByTestId("transcode-job-state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        await Expect(job.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        await Expect(job.GetByTestId("transcode-job-percent")).ToHaveTextAsync(new Regex("^[1-9][0-9]? %$"), new() { Timeout = 30_000 });
        await tab.ScreenshotAsync("app-media-transcoding-running");
        await Expect(job.GetByTestId("transcode-job-state")).ToHaveTextAsync("Done", new() { Timeout = 120_000 });
        await Expect(job.GetByTestId("transcode-job-percent")).Not.ToBeAttachedAsync();
        await Expect(tab.Page.GetByTestId("derivative-rendition")).ToHaveTextAsync(["Master playlist", "360p"]);
        await AssertTablesFitAsync(tab.Page);

        // The adaptive output plays in the page's player: its clock advances.
        await tab.Page.GetByTestId("media-detail-stream").GetByText("Adaptive (HLS)").ClickAsync();
        var player = tab.Page.GetByTestId("media-detail-hls-player");
        await Expect(player).ToHaveAttributeAsync("data-engine", "hls.js");
        await player.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await tab.Page.WaitForFunctionAsync(
            "() => document.querySelector('[data-testid=media-detail-hls-player]')?.currentTime > 1", null, new() { Timeout = 30_000 });
        await Expect(player).Not.ToHaveAttributeAsync("data-error", new Regex(".+"));
        await tab.ScreenshotAsync("app-media-default-processed");
        await tab.Page.SetViewportSizeAsync(1440, 900);
        await AssertTablesFitAsync(tab.Page);
    }

    /// <summary>The transcoding panel's tables end inside the panel: no column cut off (the window is 1366 pixels wide or more).</summary>
    private static async Task AssertTablesFitAsync(IPage page)
    {
        var overflow = await page.GetByTestId("media-transcoding").EvaluateAsync<double>(
            "p => Math.max(...[...p.querySelectorAll('table')].map(t => t.getBoundingClientRect().right - p.getBoundingClientRect().right))");
        Assert.True(overflow <= 0, $"a transcoding table is {overflow:0} pixels wider than its panel");
    }
}
