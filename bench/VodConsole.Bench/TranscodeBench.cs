using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Core.Transcoding;

namespace VodConsole.Bench;

/// <summary>
/// Issue 13 item 9. A generated 60-second (by default) 1080p clip (testsrc2 and a sine tone) is uploaded to the real console (a child
/// process, Release build) and transcoded with the 4-rendition HLS ladder preset as a real job — queued through
/// <see cref="TranscodeJobs"/>, run by the server's worker (<see cref="TranscodeRunner"/>: probe, ffmpeg, read-back,
/// stored tree, commit) — alternating with the very same ffmpeg command run directly (the arguments and process the
/// product builds: <see cref="FfmpegTranscoder.Arguments"/> and <see cref="FfmpegTranscoder.StartInfo"/>). The job's
/// time is its claim to its commit as the server records them (<c>StartedAt</c> to <c>FinishedAt</c>); the wait in the
/// queue is reported apart (the bench queues from another process, so the worker finds the job at its next poll).
/// Then the media library page, signed in over HTTP, is timed idle and while a job runs.
/// </summary>
internal static class TranscodeBench
{
    private const int PageWarmUp = 10;
    private const int IdleRequests = 40;

    /// <summary>Runs the comparison <paramref name="runs"/> times each on a clip of <paramref name="seconds"/> (the figure is 60).</summary>
    public static async Task RunAsync(int runs, int seconds)
    {
        var web = UploadBench.ReleaseBuild();
        var clip = await ClipAsync(seconds);
        var data = Directory.CreateTempSubdirectory("vodconsole-bench-transcode-");
        var baseUrl = $"http://127.0.0.1:{UploadBench.FreePort()}";
        var log = new System.Text.StringBuilder();
        using var server = UploadBench.StartConsole(web, data.FullName, baseUrl, log, new Dictionary<string, string>());
        var direct = Directory.CreateTempSubdirectory("vodconsole-bench-direct-");
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5),
            };
            await UploadBench.WaitForAsync(http, server, log);
            await UploadBench.SignInAsync(http);
            var database = Path.Combine(data.FullName, "vodconsole.db");
            var appId = await UploadBench.PrimaryApplicationAsync(database);
            var token = await UploadBench.TokenAsync(http, $"/apps/{appId}/upload");

            // The bench's own services on the server's database and storage: to queue jobs as the console's pages do.
            var services = new ServiceCollection();
            services.AddLogging();
            var storage = new LocalMediaStorage(Path.Combine(data.FullName, "media"));
            services.AddSingleton<IMediaStorage>(storage);
            services.AddVodConsoleCore(DatabaseOptions.Sqlite($"Data Source={database}"));
            await using var provider = services.BuildServiceProvider();

            await using (var file = File.OpenRead(clip))
            {
                await UploadBench.UploadAsync(http, appId, token, file, file.Length, Path.GetFileName(clip));
            }
            var media = await WaitForAsync(provider, db => db.Media.SingleOrDefaultAsync(m => m.Status != MediaStatus.Processing), TimeSpan.FromMinutes(5));
            if (media!.Status != MediaStatus.Normal)
            {
                throw new InvalidOperationException($"The clip was not processed: {media.FailureReason}");
            }
            var source = storage.LocalPathOf(media.StorageKey)!;
            var probed = await provider.GetRequiredService<MediaProbe>().ProbeAsync(source);
            var preset = TranscodePresets.Find(TranscodePresets.HlsLadderId)!;
            var plan = TranscodePlan.For(preset.Format, preset.Renditions, probed);
            Console.WriteLine($"Clip: {probed.Width}x{probed.Height}, {probed.DurationSeconds:0.0} s, {new FileInfo(source).Length / 1e6:0.0} MB; "
                + $"template \"{preset.Name}\": {string.Join(", ", plan.Renditions.Select(r => $"{r.Height}p"))}");
            Console.WriteLine($"Load before: {Load()}");

            // Part 1: the job against the same command run directly, alternating.
            var jobTimes = new List<double>();
            var directTimes = new List<double>();
            var queueWaits = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                var (jobSeconds, waited) = await RunJobAsync(provider, appId, media.Id, attempt: run);
                jobTimes.Add(jobSeconds);
                queueWaits.Add(waited);
                Console.WriteLine($"run {run}: job     {jobSeconds,7:0.00} s (in the queue {waited:0.0} s before)   load {Load()}");

                var output = Path.Combine(direct.FullName, run.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(output);
                var directSeconds = await RunDirectAsync(FfmpegTranscoder.StartInfo(FfmpegTranscoder.Arguments(source, probed, plan, output)));
                directTimes.Add(directSeconds);
                Directory.Delete(output, recursive: true);
                Console.WriteLine($"run {run}: ffmpeg  {directSeconds,7:0.00} s   load {Load()}");
            }
            var job = Median(jobTimes);
            var bare = Median(directTimes);
            Console.WriteLine($"Median job {job:0.00} s, median ffmpeg alone {bare:0.00} s: overhead {(job - bare) / bare * 100:+0.0;-0.0} % (goal <= 5 %)");
            var command = FfmpegTranscoder.StartInfo(FfmpegTranscoder.Arguments(source, probed, plan, "OUT"));
            Console.WriteLine($"The command: {command.FileName} {string.Join(' ', command.ArgumentList)}");

            // Part 2: the media library page, idle and while a job runs.
            var page = $"/apps/{appId}/media";
            for (var i = 0; i < PageWarmUp; i++)
            {
                await GetAsync(http, page);
            }
            var idle = new List<double>();
            for (var i = 0; i < IdleRequests; i++)
            {
                idle.Add(await GetAsync(http, page));
            }
            await QueueAsync(provider, appId, media.Id);
            await WaitForAsync(provider, db => db.TranscodeJobs.SingleOrDefaultAsync(j => j.State == TranscodeJobState.Running && j.Percent > 0), TimeSpan.FromMinutes(2));
            var busy = new List<double>();
            while (await WithDbAsync(provider, db => db.TranscodeJobs.AnyAsync(j => j.State == TranscodeJobState.Running)))
            {
                busy.Add(await GetAsync(http, page));
            }
            Console.WriteLine($"GET {page}: idle median {Median(idle):0.0} ms (n={idle.Count}), while a job runs median {Median(busy):0.0} ms "
                + $"(n={busy.Count}): {Median(busy) / Median(idle):0.00}x (goal <= 2x)   load {Load()}");
        }
        catch
        {
            lock (log) Console.Error.WriteLine(log);
            throw;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
            direct.Delete(recursive: true);
        }
    }

    /// <summary>Queues the ladder for the clip (again) and waits for its commit; returns its run time and its wait in the queue.</summary>
    private static async Task<(double Seconds, double Waited)> RunJobAsync(ServiceProvider provider, long appId, long mediaId, int attempt)
    {
        var queued = DateTime.UtcNow;
        await QueueAsync(provider, appId, mediaId);
        var job = await WaitForAsync(provider, db => db.TranscodeJobs.SingleOrDefaultAsync(
            j => j.Attempt == attempt && (j.State == TranscodeJobState.Done || j.State == TranscodeJobState.Failed)), TimeSpan.FromMinutes(30));
        if (job!.State != TranscodeJobState.Done)
        {
            throw new InvalidOperationException($"The job failed: {job.FailureReason}");
        }
        return ((job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds, (job.StartedAt.Value - queued).TotalSeconds);
    }

    private static async Task QueueAsync(ServiceProvider provider, long appId, long mediaId)
    {
        var scope = await MediaBench.InApplicationAsync(provider, appId);
        await scope.GetRequiredService<TranscodeJobs>().StartAsync([mediaId], TranscodePresets.HlsLadderId);
    }

    /// <summary>The product's ffmpeg process, started and drained as the runner does; its wall time in seconds.</summary>
    private static async Task<double> RunDirectAsync(ProcessStartInfo start)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed: {await errors}");
        }
        return elapsed;
    }

    private static async Task<double> GetAsync(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Polls the database every 100 ms until the query finds a row.</summary>
    private static async Task<T> WaitForAsync<T>(ServiceProvider provider, Func<VodDbContext, Task<T?>> query, TimeSpan timeout) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await WithDbAsync(provider, query) is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Nothing found within {timeout}.");
    }

    private static async Task<T> WithDbAsync<T>(ServiceProvider provider, Func<VodDbContext, Task<T>> query)
    {
        await using var scope = provider.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<ApplicationData>().OpenSystemWideAsync();
        return await query(db);
    }

    /// <summary>The 1080p clip with sound, generated once per length into bench/data (git-ignored).</summary>
    private static async Task<string> ClipAsync(int seconds)
    {
        var path = Path.Combine(MediaBench.RepositoryRoot(), "bench", "data", $"clip-{seconds}s-1080p.mp4");
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=duration={seconds}:size=1920x1080:rate=30", "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4", partial,
        ]);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not generate the clip.");
        }
        File.Move(partial, path);
        return path;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The 1, 5 and 15-minute load averages: the machine is shared, so every figure is printed with its load.</summary>
    private static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}
