using Microsoft.AspNetCore.DataProtection;
using VodConsole.Core.Setup;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Network;
using VodConsole.Core.Usage;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Media;

/// <summary>
/// Pulls from a real HTTP server on loopback (127.0.0.1, and 127.0.0.2 as a second address), through the real outbound
/// client, storage, database and roll-ups.
/// </summary>
public sealed class MediaPullTests : IAsyncLifetime
{
    private const int BodyBytes = 600_000;
    private static readonly IPAddress SecondLoopback = IPAddress.Parse("127.0.0.2");

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-pull-");
    /// <summary>Holds the slow route in the middle of its body until the test has seen progress.</summary>
    private readonly TaskCompletionSource resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalHttpServer server = null!;
    private TestConsole? console;
    private string video = "";

    public async ValueTask InitializeAsync()
    {
        video = await TestMedia.VideoAsync(work.FullName);
        server = await LocalHttpServer.StartAsync(Map, IPAddress.Loopback, SecondLoopback);
    }

    public async ValueTask DisposeAsync()
    {
        resume.TrySetResult();
        await server.DisposeAsync();
        if (console is not null) await console.DisposeAsync();
        work.Delete(recursive: true);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/media/test-video.mp4", () => Results.File(video, "video/mp4"));
        app.MapGet("/media/notes.mp4", () => Results.Text("Only text, whatever the name says.\n"));
        app.MapGet("/media/announced.mp4", (HttpContext http) => WriteMp4Async(http, BodyBytes, announce: true));
        app.MapGet("/media/unannounced.mp4", (HttpContext http) => WriteMp4Async(http, BodyBytes, announce: false));
        app.MapGet("/media/slow.mp4", async (HttpContext http) =>
        {
            await WriteMp4Async(http, 1_500_000, announce: false);
            await http.Response.Body.FlushAsync();
            await resume.Task.WaitAsync(http.RequestAborted);
            await http.Response.Body.WriteAsync(new byte[500_000]);
        });
        app.MapGet("/media/stalls.mp4", async (HttpContext http) =>
        {
            await WriteMp4Async(http, 10_000, announce: false);
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        });
        app.MapGet("/hop/second-loopback", () => Results.Redirect(server.Url(SecondLoopback, "/media/test-video.mp4")));
        app.MapGet("/hop/loop", () => Results.Redirect("/hop/loop"));
    }

    /// <summary>An MP4 header followed by zeros, <paramref name="size"/> bytes in all, with or without a Content-Length.</summary>
    private static async Task WriteMp4Async(HttpContext http, int size, bool announce)
    {
        http.Response.ContentType = "video/mp4";
        if (announce)
        {
            http.Response.ContentLength = size;
        }
        byte[] header = [0, 0, 0, 0x20, .. "ftypisom"u8];
        await http.Response.Body.WriteAsync(header);
        var zeros = new byte[50_000];
        for (var sent = header.Length; sent < size; sent += zeros.Length)
        {
            await http.Response.Body.WriteAsync(zeros.AsMemory(0, Math.Min(zeros.Length, size - sent)));
        }
    }

    private async Task<(TestConsole Console, long AppId)> StartConsoleAsync(
        bool allowPrivateTargets = true, long? maxBytes = null, string[]? allowedNetworks = null)
    {
        console = await TestConsole.StartAsync(services =>
        {
            services.Configure<NetworkOptions>(o =>
            {
                o.AllowPrivateTargets = allowPrivateTargets;
                o.AllowedPrivateNetworks = allowedNetworks ?? [];
            });
            services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()); // start-up recovery resolves callbacks
            if (maxBytes is { } limit)
            {
                services.Configure<MediaOptions>(o => o.MaxUploadBytes = limit);
            }
        });
        var appId = (await console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        return (console, appId);
    }

    private async Task<MediaPull> SubmitAsync(long appId, string url)
    {
        var scope = await console!.InApplicationAsync(appId);
        return Assert.Single(await scope.GetRequiredService<MediaPullService>().SubmitAsync(url));
    }

    /// <summary>Submits the URL and pulls it as the worker does: claim the oldest queued job, then pull it to its end.</summary>
    private async Task<MediaPull> PullAsync(long appId, string url, Action<MediaPuller>? configure = null)
    {
        var submitted = await SubmitAsync(appId, url);
        var puller = console!.Get<MediaPuller>();
        configure?.Invoke(puller);
        var claimed = await puller.ClaimNextAsync();
        Assert.Equal(submitted.Id, claimed?.Job.Id);
        await puller.PullAsync(claimed!);
        return await JobAsync(appId, submitted.Id);
    }

    private async Task<MediaPull> JobAsync(long appId, long id)
    {
        await using var db = await console!.Get<ApplicationData>().OpenForAsync(appId);
        return await db.MediaPulls.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    private async Task<List<MediaItem>> MediaOfAsync(long appId)
    {
        await using var db = await console!.Get<ApplicationData>().OpenForAsync(appId);
        return await db.Media.AsNoTracking().ToListAsync();
    }

    private string[] StoredFiles() =>
        Directory.Exists(console!.MediaRoot) ? Directory.GetFiles(console.MediaRoot, "*", SearchOption.AllDirectories) : [];

    private async Task<long> LevelAsync(long appId, UsageMetric metric)
    {
        await using var db = await console!.OpenDbAsync();
        return await db.DailyUsage.Where(u => u.ApplicationId == appId && u.Metric == metric)
            .OrderByDescending(u => u.Day).Select(u => u.Value).FirstOrDefaultAsync();
    }

    /// <summary>A failed pull keeps nothing: no media row, no file (not even a partial one), no usage.</summary>
    private async Task AssertNothingKeptAsync(long appId)
    {
        Assert.Empty(await MediaOfAsync(appId));
        Assert.Empty(StoredFiles());
        Assert.Equal(0, await LevelAsync(appId, UsageMetric.StorageBytes));
        Assert.Equal(0, await LevelAsync(appId, UsageMetric.MediaCount));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_pulled_video_becomes_media_with_its_rollups_and_is_processed_to_normal()
    {
        var (c, appId) = await StartConsoleAsync();
        var size = new FileInfo(video).Length;

        var job = await PullAsync(appId, server.Url("/media/test-video.mp4"));

        Assert.Equal(MediaPullState.Done, job.State);
        Assert.Null(job.FailureReason);
        Assert.Equal(size, job.BytesReceived);
        Assert.Equal(size, job.TotalBytes);
        Assert.NotNull(job.FinishedAt);
        var item = Assert.Single(await MediaOfAsync(appId));
        Assert.Equal(item.Id, job.MediaId);
        Assert.Equal("test-video", item.Title);
        Assert.Equal("test-video.mp4", item.OriginalFileName);
        Assert.Equal(MediaStatus.Processing, item.Status);
        Assert.Equal("video/mp4", item.ContentType);
        Assert.Equal(size, item.SizeBytes);
        Assert.Equal(await File.ReadAllBytesAsync(video), await File.ReadAllBytesAsync(c.Get<IMediaStorage>().LocalPathOf(item.StorageKey)!));
        Assert.Equal(size, await LevelAsync(appId, UsageMetric.StorageBytes));
        Assert.Equal(1, await LevelAsync(appId, UsageMetric.MediaCount));

        Assert.Equal(1, await c.Get<MediaProcessor>().ProcessPendingAsync());
        var processed = Assert.Single(await MediaOfAsync(appId));
        Assert.Equal(MediaStatus.Normal, processed.Status);
        Assert.Equal((320, 240), (processed.Width, processed.Height));
    }

    [Fact]
    public async Task Without_allowing_private_targets_a_loopback_url_is_refused_at_submit_naming_the_setting()
    {
        var (_, appId) = await StartConsoleAsync(allowPrivateTargets: false);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => SubmitAsync(appId, server.Url("/media/test-video.mp4")));

        Assert.StartsWith("Line 1 (http://127.0.0.1:", refused.Message);
        Assert.Contains("127.0.0.1 is a loopback address", refused.Message);
        Assert.Contains("list it in Network:AllowedPrivateNetworks", refused.Message);
        await using var db = await console!.Get<ApplicationData>().OpenForAsync(appId);
        Assert.Empty(await db.MediaPulls.ToListAsync());
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_to_a_refused_address_fails_as_not_allowed()
    {
        // 127.0.0.1 is opened on purpose; 127.0.0.2, where the redirect leads, stays internal and refused.
        var (_, appId) = await StartConsoleAsync(allowPrivateTargets: false, allowedNetworks: ["127.0.0.1"]);

        var job = await PullAsync(appId, server.Url("/hop/second-loopback"));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Contains("not allowed", job.FailureReason);
        Assert.Contains("127.0.0.2", job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task A_redirect_between_allowed_addresses_is_followed()
    {
        var (_, appId) = await StartConsoleAsync();

        var job = await PullAsync(appId, server.Url("/hop/second-loopback"));

        Assert.Equal(MediaPullState.Done, job.State);
        Assert.Equal("second-loopback", Assert.Single(await MediaOfAsync(appId)).Title);
    }

    [Fact]
    public async Task Endless_redirects_fail_after_the_limit()
    {
        var (_, appId) = await StartConsoleAsync();

        var job = await PullAsync(appId, server.Url("/hop/loop"));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Contains($"redirected more than {OutboundHttp.MaxRedirects} times", job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task A_missing_file_fails_with_the_http_status()
    {
        var (_, appId) = await StartConsoleAsync();

        var job = await PullAsync(appId, server.Url("/media/missing.mp4"));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Equal("HTTP 404 Not Found", job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task A_body_that_is_not_media_fails_whatever_its_name_and_keeps_nothing()
    {
        var (_, appId) = await StartConsoleAsync();

        var job = await PullAsync(appId, server.Url("/media/notes.mp4"));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Equal(MediaContent.RefusedMessage, job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Theory]
    [InlineData("/media/announced.mp4")]   // refused from its Content-Length, before the body
    [InlineData("/media/unannounced.mp4")] // refused while counting the body
    public async Task A_file_over_the_limit_fails_and_keeps_no_file(string path)
    {
        var (_, appId) = await StartConsoleAsync(maxBytes: BodyBytes / 2);

        var job = await PullAsync(appId, server.Url(path));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Equal(MediaUploadService.TooLargeMessage(BodyBytes / 2), job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task Progress_is_written_while_the_body_arrives()
    {
        var (c, appId) = await StartConsoleAsync();
        var submitted = await SubmitAsync(appId, server.Url("/media/slow.mp4"));
        var puller = c.Get<MediaPuller>();
        var pulling = puller.PullAsync((await puller.ClaimNextAsync())!);

        await WaitForAsync(async () => (await JobAsync(appId, submitted.Id)).BytesReceived >= MediaPuller.ProgressBytes, "progress");
        var midway = await JobAsync(appId, submitted.Id);
        resume.SetResult();
        await pulling;

        Assert.Equal(MediaPullState.Downloading, midway.State);
        Assert.Null(midway.TotalBytes);
        Assert.InRange(midway.BytesReceived, MediaPuller.ProgressBytes, 1_500_000);
        var done = await JobAsync(appId, submitted.Id);
        Assert.Equal(MediaPullState.Done, done.State);
        Assert.Equal(2_000_000, done.BytesReceived);
    }

    [Fact]
    public async Task A_server_that_stops_sending_fails_with_a_timeout_and_keeps_nothing()
    {
        var (_, appId) = await StartConsoleAsync();

        var job = await PullAsync(appId, server.Url("/media/stalls.mp4"), puller => puller.IdleTimeout = TimeSpan.FromSeconds(1));

        Assert.Equal(MediaPullState.Failed, job.State);
        Assert.Equal("The server stopped sending data for 1 seconds.", job.FailureReason);
        await AssertNothingKeptAsync(appId);
    }

    [Fact]
    public async Task A_job_left_downloading_by_a_stopped_server_is_pulled_after_its_next_start()
    {
        var (c, appId) = await StartConsoleAsync();
        var submitted = await SubmitAsync(appId, server.Url("/media/test-video.mp4"));
        Assert.NotNull(await c.Get<MediaPuller>().ClaimNextAsync()); // the server "stops" here, mid-download
        Assert.Null(await c.Get<MediaPuller>().ClaimNextAsync());    // a Downloading job is nobody else's while its lease holds

        // The server starts again with its instance ID: its previous run is dead, so its lease is given back at once.
        await c.Get<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: false);

        var worker = new MediaPullWorker(c.Get<IServiceScopeFactory>(), c.Get<MediaPullSignal>(), NullLogger<MediaPullWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(async () => (await JobAsync(appId, submitted.Id)).State == MediaPullState.Done, "the resumed pull");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Equal((await JobAsync(appId, submitted.Id)).MediaId, Assert.Single(await MediaOfAsync(appId)).Id);
    }

    [Fact]
    public async Task Jobs_belong_to_their_application_and_are_listed_only_there()
    {
        var (c, primary) = await StartConsoleAsync();
        await c.EnableSubApplicationsAsync();
        var other = (await c.Get<ApplicationService>().CreateSubApplicationAsync("Other", null)).Id;
        var mine = await SubmitAsync(primary, server.Url("/media/test-video.mp4"));
        var theirs = await SubmitAsync(other, server.Url("/media/notes.mp4"));

        var listedForPrimary = await (await c.InApplicationAsync(primary)).GetRequiredService<MediaPullService>().ListAsync();
        var listedForOther = await (await c.InApplicationAsync(other)).GetRequiredService<MediaPullService>().ListAsync();

        Assert.Equal([mine.Id], listedForPrimary.Select(p => p.Id));
        Assert.Equal([theirs.Id], listedForOther.Select(p => p.Id));
        Assert.Equal(primary, mine.ApplicationId);
        Assert.Equal(other, theirs.ApplicationId);
        await using var db = await c.Get<ApplicationData>().OpenForAsync(primary);
        Assert.Null(await db.MediaPulls.FindAsync(theirs.Id));
    }

    [Fact]
    public async Task A_list_with_a_bad_line_queues_nothing_and_says_which_line()
    {
        var (c, appId) = await StartConsoleAsync();
        var pulls = (await c.InApplicationAsync(appId)).GetRequiredService<MediaPullService>();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            pulls.SubmitAsync("https://example.com/a.mp4\nftp://example.com/b.mp4\nhttps://example.com/a.mp4"));

        Assert.Equal(
            "Line 2 (ftp://example.com/b.mp4): only http and https URLs can be pulled.\n"
            + "Line 3 (https://example.com/a.mp4): the same URL is already on line 1.",
            refused.Message);
        Assert.Empty(await pulls.ListAsync());
    }

    [Fact]
    public async Task The_list_is_newest_first_and_a_done_job_shows_its_media_until_that_is_deleted()
    {
        var (c, appId) = await StartConsoleAsync();
        var done = await PullAsync(appId, server.Url("/media/test-video.mp4"));
        var queued = await SubmitAsync(appId, server.Url("/media/notes.mp4"));
        var scope = await c.InApplicationAsync(appId);
        var pulls = scope.GetRequiredService<MediaPullService>();

        var listed = await pulls.ListAsync();
        await scope.GetRequiredService<MediaLibrary>().DeleteAsync(done.MediaId!.Value);
        var afterDelete = await pulls.ListAsync();

        Assert.Equal([queued.Id, done.Id], listed.Select(p => p.Id));
        Assert.Equal("test-video", listed[1].Media?.Title);
        Assert.Equal(MediaPullState.Done, afterDelete[1].State);
        Assert.Null(afterDelete[1].MediaId);
    }
}
