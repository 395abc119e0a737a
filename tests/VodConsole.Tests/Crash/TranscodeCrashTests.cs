using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;
using VodConsole.Tests.Api;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Crash;

/// <summary>
/// A transcoding job of the real console process, with a real ffmpeg, interrupted in the middle of its run (issue 13):
/// the server killed with SIGKILL and started again on the same data, or only its ffmpeg killed while the server lives.
/// Black-box: the test starts the job through the API and watches the database, the storage folder, the server's
/// temporary folder, the process table and the callbacks; it never reaches into the runner.
/// </summary>
public sealed class TranscodeCrashTests : IAsyncLifetime
{
    /// <summary>Long and large enough that ffmpeg is still at work when the test has seen it running on a loaded machine.</summary>
    private static readonly Lazy<Task<byte[]>> Clip = new(async () =>
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-transcode-crash-clip-");
        try
        {
            return await File.ReadAllBytesAsync(await TestMedia.GenerateAsync(folder.FullName, "long.mp4",
                "-f", "lavfi", "-i", "testsrc2=duration=30:size=640x480:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    });

    /// <summary>The server's temporary folder (TMPDIR): where ffmpeg writes a job's output before it is stored.</summary>
    private readonly DirectoryInfo serverTemp = Directory.CreateTempSubdirectory("vodconsole-transcode-crash-tmp-");
    private CallbackReceiver receiver = null!;
    private CrashScene scene = null!;

    public async ValueTask InitializeAsync()
    {
        receiver = await CallbackReceiver.StartAsync();
        // A short lease, so the restarted server takes the dead server's job over within seconds (the default is a minute).
        scene = await CrashScene.CreateAsync(new Dictionary<string, string>
        {
            ["Processing:JobLease"] = "00:00:03",
            ["TMPDIR"] = serverTemp.FullName,
        });
        await scene.PushCallbacksAsync(receiver.Url, CallbackEventType.TranscodeComplete);
    }

    [Fact]
    public async Task A_job_whose_server_is_killed_mid_run_is_taken_again_after_the_restart_and_finishes_once()
    {
        await scene.StartAsync();
        var (mediaId, jobId) = await StartJobAsync();
        await WaitUntilFfmpegIsAtWorkAsync(jobId);

        await scene.Server.KillAsync();
        // The dead server's ffmpeg loses its reader and ends with it: nothing keeps writing for a server that is gone.
        await scene.WaitForAsync(() => Task.FromResult(FfmpegProcesses().Count == 0), "the orphaned ffmpeg to end", TimeSpan.FromMinutes(3));
        await scene.StartAsync();

        await WaitForTheJobToEndAsync(jobId);
        await scene.AssertConsistentAsync();
        var job = await JobAsync(jobId);
        Assert.True(job.State == TranscodeJobState.Done, $"the job ended {job.State}: {job.FailureReason}\n{scene.Server.Log}");
        Assert.Equal(2, job.Attempt); // the run the kill interrupted, and the one that took it over
        await AssertOneOutputAsync(mediaId, jobId);
        await scene.WaitForAsync(() => Task.FromResult(TranscodeEvents().Count >= 1), "the TranscodeComplete callback");
        Assert.Equal(["Done"], TranscodeEvents().Select(e => e.GetProperty("State").GetString()));
    }

    [Fact]
    public async Task A_job_whose_ffmpeg_is_killed_mid_run_fails_with_the_reason_keeps_nothing_and_a_retry_finishes_it()
    {
        await scene.StartAsync();
        var (mediaId, jobId) = await StartJobAsync();
        await WaitUntilFfmpegIsAtWorkAsync(jobId);

        var ffmpeg = Assert.Single(FfmpegProcesses());
        ffmpeg.Kill(); // SIGKILL, as the kernel's out-of-memory killer or an operator would
        ffmpeg.Dispose();

        await WaitForTheJobToEndAsync(jobId);
        await scene.AssertConsistentAsync();
        Assert.False(scene.Server.HasExited);
        var failed = await JobAsync(jobId);
        Assert.Equal(TranscodeJobState.Failed, failed.State);
        Assert.Contains("ffmpeg was killed", failed.FailureReason);
        Assert.Null(failed.OutputKey);
        Assert.Empty(OutputTrees());
        await WaitForNoWorkFolderAsync();
        await using (var db = await scene.OpenDbAsync())
        {
            Assert.False(await db.MediaDerivatives.IgnoreQueryFilters().AnyAsync());
            Assert.Equal(0, await TranscodeSecondsAsync(db));
        }
        await scene.WaitForAsync(() => Task.FromResult(TranscodeEvents().Count >= 1), "the TranscodeComplete callback");
        var reported = Assert.Single(TranscodeEvents());
        Assert.Equal(("Failed", failed.FailureReason), (reported.GetProperty("State").GetString(), reported.GetProperty("FailureReason").GetString()));

        // What the product promises after a failure: starting the job again (the API's retry) runs it to Done.
        using (var api = scene.Api())
        {
            using var again = await api.PostAsJsonAsync($"/api/v1/media/{mediaId}/transcode-jobs?SubAppId={scene.A}", new { TemplateId = failed.TemplateId });
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        await WaitForTheJobToEndAsync(jobId);
        await scene.AssertConsistentAsync();
        Assert.Equal((TranscodeJobState.Done, 2), ((await JobAsync(jobId)).State, (await JobAsync(jobId)).Attempt));
        await AssertOneOutputAsync(mediaId, jobId);
    }

    /// <summary>Uploads the clip, waits until it is processed, and starts a two-rendition HLS job through the API.</summary>
    private async Task<(long MediaId, long JobId)> StartJobAsync()
    {
        using var api = scene.Api();
        var mediaId = await scene.UploadAsync(api, scene.A, await Clip.Value);
        await scene.AssertConsistentAsync(); // only a processed item is transcoded
        using var created = await api.PostAsJsonAsync($"/api/v1/transcode-templates?SubAppId={scene.A}", new
        {
            Name = "Crash ladder",
            Format = "Hls",
            Renditions = new[]
            {
                new { Height = 240, VideoBitrateKbps = 400, MaxFrameRate = 25, AudioBitrateKbps = 64 },
                new { Height = 480, VideoBitrateKbps = 1200, MaxFrameRate = 25, AudioBitrateKbps = 96 },
            },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var templateId = (await created.JsonAsync()).GetProperty("TemplateId").GetInt64();
        using var started = await api.PostAsJsonAsync($"/api/v1/media/{mediaId}/transcode-jobs?SubAppId={scene.A}", new { TemplateId = templateId });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var job = Assert.Single((await started.JsonAsync()).GetProperty("Jobs").EnumerateArray());
        return (mediaId, job.GetProperty("JobId").GetInt64());
    }

    /// <summary>Running with progress written (so ffmpeg has produced output), and its ffmpeg process in the process table.</summary>
    private Task WaitUntilFfmpegIsAtWorkAsync(long jobId) =>
        scene.WaitForAsync(async () =>
        {
            var job = await JobAsync(jobId);
            Assert.False(job.State is TranscodeJobState.Done or TranscodeJobState.Failed,
                $"the job ended ({job.State}) before the test could interrupt it; make the clip longer");
            return job is { State: TranscodeJobState.Running, Percent: > 0 } && FfmpegProcesses().Count == 1 && WorkFolders().Count == 1;
        }, "ffmpeg to be at work on the job", TimeSpan.FromMinutes(3));

    /// <summary>
    /// Done or Failed. A whole run of ffmpeg (niced) takes far longer than the scene's settling on a 2-core machine that
    /// other builds keep busy, so this wait is generous; it returns as soon as the job ends.
    /// </summary>
    private Task WaitForTheJobToEndAsync(long jobId) =>
        scene.WaitForAsync(async () => !(await JobAsync(jobId)).IsActive, "the transcoding job to end", TimeSpan.FromMinutes(10));

    /// <summary>
    /// One set of derivative files: the master playlist and both renditions, in one stored tree that the API lists; no
    /// temporary folder left; the output seconds counted once (both renditions are SD, so the total is one rounding).
    /// </summary>
    private async Task AssertOneOutputAsync(long mediaId, long jobId)
    {
        var job = await JobAsync(jobId);
        var tree = Assert.Single(OutputTrees());
        Assert.Equal(Path.Combine(scene.MediaRoot, job.OutputKey!.Replace('/', Path.DirectorySeparatorChar)), tree);
        await WaitForNoWorkFolderAsync();
        Assert.Empty(FfmpegProcesses());

        await using var db = await scene.OpenDbAsync();
        var derivatives = await db.MediaDerivatives.IgnoreQueryFilters().Where(d => d.JobId == jobId).ToListAsync();
        Assert.Equal(["240p", "480p", "master"], derivatives.Select(d => d.Rendition).Order());
        var seconds = derivatives.Where(d => d.Kind == DerivativeKind.HlsVariant).Sum(d => d.DurationSeconds ?? 0);
        Assert.InRange(seconds, 59, 61);
        Assert.Equal((long)Math.Round(seconds, MidpointRounding.AwayFromZero), await TranscodeSecondsAsync(db));

        using var api = scene.Api();
        var listed = Assert.Single((await (await api.GetAsync($"/api/v1/media/{mediaId}/transcode-jobs?SubAppId={scene.A}")).JsonAsync())
            .GetProperty("Jobs").EnumerateArray());
        Assert.Equal("Done", listed.GetProperty("State").GetString());
        Assert.Equal(3, listed.GetProperty("Files").GetArrayLength());
        using var player = new HttpClient { BaseAddress = new Uri(scene.Server.BaseUrl) };
        using var master = await player.GetAsync(derivatives.Single(d => d.Kind == DerivativeKind.MasterPlaylist).UrlPath);
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
    }

    private async Task<TranscodeJob> JobAsync(long jobId)
    {
        await using var db = await scene.OpenDbAsync();
        return await db.TranscodeJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    private async Task<long> TranscodeSecondsAsync(VodConsole.Core.Data.VodDbContext db) =>
        await db.DailyUsage.Where(u => u.ApplicationId == scene.A && u.Metric == UsageMetric.TranscodeSeconds).SumAsync(u => u.Value);

    /// <summary>The stored output trees: folders in application A's storage (its originals are files).</summary>
    private List<string> OutputTrees() =>
        Directory.EnumerateDirectories(Path.Combine(scene.MediaRoot, scene.A.ToString(CultureInfo.InvariantCulture))).ToList();

    /// <summary>The run removes its temporary folder right after it records the job's end (Done or Failed).</summary>
    private Task WaitForNoWorkFolderAsync() =>
        scene.WaitForAsync(() => Task.FromResult(WorkFolders().Count == 0), "the run's temporary folder to be removed");

    /// <summary>The server's unfinished job outputs, in its temporary folder.</summary>
    private List<string> WorkFolders() => Directory.EnumerateDirectories(serverTemp.FullName, "vodconsole-transcode-*").ToList();

    /// <summary>The ffmpeg processes writing into the server's temporary folder (found in the process table, as an operator would).</summary>
    private List<Process> FfmpegProcesses()
    {
        var found = new List<Process>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // ended meanwhile
            }
            if (Path.GetFileName(arguments[0]) == "ffmpeg" && arguments.Any(a => a.StartsWith(serverTemp.FullName, StringComparison.Ordinal)))
            {
                found.Add(Process.GetProcessById(pid));
            }
        }
        return found;
    }

    /// <summary>The <c>Data</c> of every TranscodeComplete callback the receiver got.</summary>
    private List<JsonElement> TranscodeEvents() =>
        receiver.Received
            .Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(e => e.GetProperty("EventType").GetString() == nameof(CallbackEventType.TranscodeComplete))
            .Select(e => e.GetProperty("Data"))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await scene.DisposeAsync();
        await receiver.DisposeAsync();
        foreach (var ffmpeg in FfmpegProcesses())
        {
            ffmpeg.Kill();
        }
        serverTemp.Delete(recursive: true);
    }
}
