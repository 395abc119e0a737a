using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Tests.Crash;

namespace VodConsole.Tests.Instances;

/// <summary>
/// Two real console processes (<c>dotnet VodConsole.Web.dll</c>) on one data directory; the one running a transcoding job
/// is killed with SIGKILL mid-run, and the other takes the job over once its lease runs out and finishes it once.
/// </summary>
public sealed class InstanceTakeoverProcessTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-takeover-");
    private readonly List<ConsoleProcess> servers = [];
    private TestConsole console = null!;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
        await console.DisposeAsync();
        work.Delete(recursive: true);
    }

    private async Task<TranscodeJob> JobAsync(long app)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        return await db.TranscodeJobs.AsNoTracking().SingleAsync();
    }

    private async Task<TranscodeJob> WaitForJobAsync(long app, Func<TranscodeJob, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var job = await JobAsync(app);
            if (condition(job))
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"Timed out waiting until {what} (job {job.State}, attempt {job.Attempt}, {job.Percent} %).\n{string.Join("\n", servers.Select(s => s.Log))}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_instance_running_a_job_is_killed_and_the_other_takes_it_over_after_the_lease_and_finishes_it_once()
    {
        // The console's own key ring in the database, so both servers and this process share it.
        console = await TestConsole.StartAsync(s => s.AddDataProtection().SetApplicationName("VodConsole").PersistKeysToDbContext<VodDbContext>());
        var app = (await console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        // Long and large enough that ffmpeg is still at work when the test kills its server.
        var path = await TestMedia.GenerateAsync(work.FullName, "clip.mp4",
            "-f", "lavfi", "-i", "testsrc=duration=20:size=640x480:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:duration=20",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        MediaItem clip;
        await using (var file = File.OpenRead(path))
        {
            clip = await console.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", file, MediaOptions.DefaultMaxUploadBytes);
        }
        await console.Get<MediaProcessor>().ProcessPendingAsync();
        var scope = await console.InApplicationAsync(app);
        var template = await scope.GetRequiredService<TranscodeTemplates>().CreateAsync(
            new TranscodeTemplateEdit("Takeover", TranscodeFormat.Hls, [new(240, 500, 30, 64), new(480, 1200, 30, 64)]));

        var settings = new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = Path.GetDirectoryName(console.DatabasePath)!,
            ["Seed:DemoData"] = "false",
            ["Processing:JobLease"] = "00:00:04",
        };
        foreach (var (name, value) in console.Database.HostSettings) // the test's database, SQLite or PostgreSQL
        {
            settings[name] = value;
        }
        // One after the other: starting together would race the migrations (not this test's subject).
        servers.Add(await ConsoleProcess.StartAsync(settings));
        servers.Add(await ConsoleProcess.StartAsync(settings));

        await scope.GetRequiredService<TranscodeJobs>().StartAsync([clip.Id], template.Id);
        var running = await WaitForJobAsync(app, j => j.State == TranscodeJobState.Running && j.Percent > 0, "one instance runs the job");
        var victim = servers.Single(s => running.LeaseOwner!.Contains($"-{s.ProcessId.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal));
        var survivor = servers.Single(s => s != victim);
        Assert.Equal(1, running.Attempt);

        await victim.KillAsync();

        // The survivor takes the job over with the next attempt once the victim's lease runs out, and finishes it.
        var taken = await WaitForJobAsync(app, j => j.Attempt == 2, "the other instance takes the job over");
        Assert.True(taken.LeaseOwner is null || taken.LeaseOwner.Contains($"-{survivor.ProcessId.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal));
        var done = await WaitForJobAsync(app, j => j.State != TranscodeJobState.Running && j.State != TranscodeJobState.Queued, "the job ends");
        Assert.Equal((TranscodeJobState.Done, 2, null, 100), (done.State, done.Attempt, done.LeaseOwner, done.Percent));
        Assert.False(survivor.HasExited);

        // Once: one output tree (the killed run stored none), master playlist and two renditions.
        var folder = Path.Combine(console.MediaRoot, app.ToString(CultureInfo.InvariantCulture));
        Assert.Single(Directory.GetDirectories(folder));
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        Assert.Equal(3, await db.MediaDerivatives.CountAsync(d => d.JobId == done.Id));
    }
}
