using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Network;
using VodConsole.Core.Setup;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Instances;

/// <summary>
/// Two console instances — two service providers, each with its own storage object and instance ID — on one database and
/// one media folder, competing for the same queues as two servers behind a load balancer do (decision 0017).
/// </summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly TestClock clock = new(DateTimeOffset.UtcNow);
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-instances-");
    private LocalHttpServer server = null!;
    private TestConsole a = null!;
    private TestConsole b = null!;
    private long app;
    private int requests;
    private readonly TaskCompletionSource firstRequestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask InitializeAsync()
    {
        server = await LocalHttpServer.StartAsync(map => map.MapGet("/media/{name}", async (HttpContext http, string name) =>
        {
            // The first request of "stalls-once.mp4" sends a little and then nothing, as a slow server does.
            if (name == "stalls-once.mp4" && Interlocked.Increment(ref requests) == 1)
            {
                await http.Response.Body.WriteAsync(Mp4(10_000));
                await http.Response.Body.FlushAsync();
                firstRequestArrived.SetResult();
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                return;
            }
            http.Response.ContentType = "video/mp4";
            await http.Response.Body.WriteAsync(Mp4(200_000));
        }));
        a = await TestConsole.StartAsync(Instance("instance-a"));
        b = await a.StartAnotherAsync(Instance("instance-b"));
        app = (await a.Get<ApplicationService>().ListAsync()).Single(x => x.IsPrimary).Id;
    }

    public async ValueTask DisposeAsync()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
        await server.DisposeAsync();
        work.Delete(recursive: true);
    }

    /// <summary>The same clock for both (a lease runs out for both at once), and an identity that makes each a machine of its own.</summary>
    private Action<IServiceCollection> Instance(string machine) => services =>
    {
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new InstanceIdentity(machine, 1000));
        services.Configure<ProcessingOptions>(o => o.JobLease = Lease);
        services.Configure<NetworkOptions>(o => o.AllowPrivateTargets = true);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()); // start-up recovery resolves callbacks
    };

    private static byte[] Mp4(int size)
    {
        var file = new byte[size];
        byte[] header = [0, 0, 0, 0x20, .. "ftypisom"u8];
        header.CopyTo(file, 0);
        return file;
    }

    private async Task<List<MediaPull>> SubmitAsync(params string[] names)
    {
        var scope = await a.InApplicationAsync(app);
        var pulls = scope.GetRequiredService<MediaPullService>();
        var submitted = new List<MediaPull>();
        foreach (var name in names)
        {
            submitted.AddRange(await pulls.SubmitAsync(server.Url($"/media/{name}")));
        }
        return submitted;
    }

    private async Task<T> RowAsync<T>(Func<VodDbContext, Task<T>> read)
    {
        await using var db = await a.Get<ApplicationData>().OpenForAsync(app);
        return await read(db);
    }

    /// <summary>The one pull's state and holder (read as a row: PostgreSQL reads no tuples).</summary>
    private async Task<(MediaPullState State, string? LeaseOwner)> PullStateAsync()
    {
        var pull = await RowAsync(db => db.MediaPulls.AsNoTracking().SingleAsync());
        return (pull.State, pull.LeaseOwner);
    }

    private string AppFolder => Path.Combine(a.MediaRoot, app.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Claims and runs pulls as the pull worker's loops do, until none is waiting; returns how many this loop ran.</summary>
    private static async Task<int> PullLoopAsync(TestConsole instance)
    {
        var ran = 0;
        while (await instance.Get<MediaPuller>().ClaimNextAsync() is { } lease)
        {
            await instance.Get<MediaPuller>().PullAsync(lease);
            ran++;
        }
        return ran;
    }

    private static async Task<int> ProcessLoopAsync(TestConsole instance)
    {
        var ran = 0;
        while (await instance.Get<MediaProcessor>().ProcessPendingAsync() is var taken and > 0)
        {
            ran += taken;
        }
        return ran;
    }

    [Fact]
    public async Task Each_job_of_a_shared_queue_runs_exactly_once_across_two_instances()
    {
        var submitted = await SubmitAsync(Enumerable.Range(1, 12).Select(i => $"clip-{i}.mp4").ToArray());

        // Three pull loops per instance, as the pull worker runs, all at once.
        var pulled = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { PullLoopAsync(a), PullLoopAsync(b) }));
        Assert.Equal(12, pulled.Sum());
        // Then processing, both instances at once (the files are not real videos: each ends Failed, once).
        var processed = await Task.WhenAll(ProcessLoopAsync(a), ProcessLoopAsync(b));
        Assert.Equal(12, processed.Sum());

        var pulls = await RowAsync(db => db.MediaPulls.AsNoTracking().ToListAsync());
        Assert.All(pulls, p => Assert.Equal((MediaPullState.Done, 1, null), (p.State, p.Attempt, p.LeaseOwner)));
        var media = await RowAsync(db => db.Media.AsNoTracking().ToListAsync());
        Assert.Equal(12, media.Count);
        Assert.Equal(submitted.Select(p => p.Id).Order(), pulls.Select(p => p.Id).Order());
        Assert.Equal(pulls.Select(p => p.MediaId!.Value).Order(), media.Select(m => m.Id).Order());
        Assert.All(media, m => Assert.Equal((MediaStatus.Failed, 1, null), (m.Status, m.Attempt, m.LeaseOwner)));
        Assert.Equal(12, Directory.GetFiles(AppFolder).Length);
    }

    [Fact]
    public async Task A_lease_that_runs_out_is_taken_over_and_the_stale_owners_completion_is_refused()
    {
        var clip = await TestMedia.VideoAsync(work.FullName, "clip.mp4");
        await using (var file = File.OpenRead(clip))
        {
            await a.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", file, MediaOptions.DefaultMaxUploadBytes);
        }

        // Instance A claims the item and stalls (a long pause, a lost network); its lease runs out.
        var stale = await a.Get<JobLeases>().ClaimNextAsync(MediaProcessor.Kind);
        Assert.NotNull(stale);
        Assert.Null(await b.Get<JobLeases>().ClaimNextAsync(MediaProcessor.Kind)); // held: nobody else takes it
        clock.Now += Lease + TimeSpan.FromSeconds(1);

        var current = await b.Get<JobLeases>().ClaimNextAsync(MediaProcessor.Kind);
        Assert.NotNull(current);
        Assert.Equal((stale.Job.Id, 2, b.Get<InstanceIdentity>().Id), (current.Job.Id, current.Attempt, current.Job.LeaseOwner));

        // A wakes up and finishes: its outcome is refused and its cover discarded; the item is still B's to process.
        await a.Get<MediaProcessor>().ProcessAsync(stale);
        var afterStale = await RowAsync(db => db.Media.AsNoTracking().SingleAsync());
        Assert.Equal((MediaStatus.Processing, 2, current.Owner, null), (afterStale.Status, afterStale.Attempt, afterStale.LeaseOwner, afterStale.CoverKey));
        Assert.Single(Directory.GetFiles(AppFolder)); // the upload only

        await b.Get<MediaProcessor>().ProcessAsync(current);
        var done = await RowAsync(db => db.Media.AsNoTracking().SingleAsync());
        Assert.Equal((MediaStatus.Normal, 2, null), (done.Status, done.Attempt, done.LeaseOwner));
        Assert.NotNull(done.CoverKey);
        Assert.Equal(2, Directory.GetFiles(AppFolder).Length); // the upload and B's cover
        // A late retry of A's commit changes nothing either.
        await a.Get<MediaProcessor>().ProcessAsync(stale);
        Assert.Equal(done.CoverKey, (await RowAsync(db => db.Media.AsNoTracking().SingleAsync())).CoverKey);
        Assert.Equal(2, Directory.GetFiles(AppFolder).Length);
    }

    [Fact]
    public async Task A_graceful_stop_gives_the_job_back_and_the_other_instance_takes_it_at_once()
    {
        var pull = Assert.Single(await SubmitAsync("stalls-once.mp4"));
        var lease = await a.Get<MediaPuller>().ClaimNextAsync();
        Assert.NotNull(lease);
        using var stopping = new CancellationTokenSource();
        var running = a.Get<MediaPuller>().PullAsync(lease, stopping.Token);
        await firstRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Host stopping: A stops the download and gives the job back (queued, not failed).
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var released = await RowAsync(db => db.MediaPulls.AsNoTracking().SingleAsync());
        Assert.Equal((MediaPullState.Queued, null, null), (released.State, released.LeaseOwner, released.FailureReason));

        // B takes it without waiting for any lease to run out (the clock has not moved), and finishes it.
        var taken = await b.Get<MediaPuller>().ClaimNextAsync();
        Assert.NotNull(taken);
        Assert.Equal((pull.Id, 2), (taken.Job.Id, taken.Attempt));
        await b.Get<MediaPuller>().PullAsync(taken);
        var done = await RowAsync(db => db.MediaPulls.AsNoTracking().SingleAsync());
        Assert.Equal((MediaPullState.Done, 2), (done.State, done.Attempt));
        Assert.Single(await RowAsync(db => db.Media.AsNoTracking().ToListAsync()));
    }

    [Fact]
    public async Task Once_per_period_work_runs_once_per_period_across_two_instances()
    {
        var period = TimeSpan.FromHours(1);
        PeriodLeases On(TestConsole instance) => instance.Get<PeriodLeases>();

        // The first run ever: both look at once, exactly one runs it.
        var first = await Task.WhenAll(On(a).TryStartAsync("Settlement", period), On(b).TryStartAsync("Settlement", period));
        Assert.Single(first, ran => ran);
        Assert.False(await On(a).TryStartAsync("Settlement", period));
        Assert.False(await On(b).TryStartAsync("Settlement", period));

        // Within the period nobody runs it again; after it, exactly one does.
        clock.Now += period - TimeSpan.FromSeconds(1);
        Assert.False(await On(b).TryStartAsync("Settlement", period));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(await On(b).TryStartAsync("Settlement", period));
        Assert.False(await On(a).TryStartAsync("Settlement", period));

        // Another kind of work has a period of its own.
        Assert.True(await On(a).TryStartAsync("Pruning", period));

        // A failed run gives its period back: the next instance to look runs it again at once.
        await On(b).ReleaseAsync("Settlement");
        Assert.True(await On(a).TryStartAsync("Settlement", period));
        Assert.False(await On(b).TryStartAsync("Settlement", period));
    }

    [Fact]
    public async Task Start_up_leaves_a_live_instances_jobs_and_writes_alone_and_takes_back_a_dead_ones()
    {
        await SubmitAsync("clip.mp4");
        await a.Get<InstanceRegistry>().BeatAsync();
        var held = await a.Get<MediaPuller>().ClaimNextAsync();
        Assert.NotNull(held);
        Directory.CreateDirectory(AppFolder);
        var fresh = Path.Combine(AppFolder, $"{Guid.NewGuid():N}{LocalMediaStorage.TempSuffix}");
        var old = Path.Combine(AppFolder, $"{Guid.NewGuid():N}{LocalMediaStorage.TempSuffix}");
        await File.WriteAllTextAsync(fresh, "being written by A");
        await File.WriteAllTextAsync(old, "left by an instance killed long ago");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - CrashRecovery.AbandonedWriteAge - TimeSpan.FromMinutes(1));

        // B starts while A is alive: A's pull stays A's, A's unfinished write stays, the old one goes.
        await b.Get<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: false);
        Assert.Equal((MediaPullState.Downloading, held.Owner), await PullStateAsync());
        Assert.True(File.Exists(fresh));
        Assert.False(File.Exists(old));
        Assert.Null(await b.Get<MediaPuller>().ClaimNextAsync());

        // A dies (its heartbeat runs out, its job lease has not): the next start gives A's pull back at once.
        clock.Now += 3 * new InstanceOptions().Heartbeat + TimeSpan.FromSeconds(1);
        await using var c = await a.StartAnotherAsync(Instance("instance-c"));
        await b.Get<InstanceRegistry>().BeatAsync();
        await c.Get<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: false);
        Assert.Equal((MediaPullState.Queued, (string?)null), await PullStateAsync());
        Assert.True(File.Exists(fresh)); // B is alive: unfinished writes are judged by their age only
        var taken = await c.Get<MediaPuller>().ClaimNextAsync();
        Assert.Equal(2, taken?.Attempt);
    }
}
