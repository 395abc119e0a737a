using VodConsole.Core.Instances;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Transcoding;

/// <summary>The database is the queue: a job interrupted with its server is taken again after a restart and finishes once.</summary>
public sealed class TranscodeJobRecoveryTests : IAsyncLifetime
{
    /// <summary>Short, since a test waits for one to run out; long enough to outlast a restart on a loaded machine.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private TranscodeWorld world = null!;

    public async ValueTask InitializeAsync() => world = await TranscodeWorld.StartAsync(lease: Lease);

    public async ValueTask DisposeAsync() => await world.DisposeAsync();

    private async Task<long> QueueAsync()
    {
        // Longer and larger than the output tests' clips, so that ffmpeg is still at work when the test interrupts it.
        var clip = await world.ClipAsync(seconds: 20, size: "640x480");
        var template = await (await world.InApp<TranscodeTemplates>()).CreateAsync(
            new TranscodeTemplateEdit("Recovery", TranscodeFormat.Hls, [new(240, 500, 30, 64), new(480, 1200, 30, 64)]));
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], template.Id);
        await using var db = await world.OpenAsync();
        return await db.TranscodeJobs.Select(j => j.Id).SingleAsync();
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    private int OutputTrees() =>
        Directory.GetDirectories(Path.Combine(world.Console.MediaRoot, world.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture))).Length;

    [Fact]
    public async Task A_job_whose_server_died_mid_run_is_taken_over_after_its_lease_and_finishes_once()
    {
        var jobId = await QueueAsync();
        // The first server claims the job and dies with it: nothing runs it, nothing puts it back.
        var abandoned = await world.Console.Get<TranscodeRunner>().ClaimNextAsync();
        Assert.NotNull(abandoned);

        await world.RestartAsync(lease: Lease);

        // While the dead server's lease holds, nobody takes the job; once it runs out, the next claim does.
        Assert.Null(await world.Console.Get<TranscodeRunner>().ClaimNextAsync());
        JobLease<TranscodeJob>? taken = null;
        await WaitForAsync(async () => (taken = await world.Console.Get<TranscodeRunner>().ClaimNextAsync()) is not null, "the lease ran out");
        Assert.Equal(jobId, taken!.Job.Id);
        Assert.Equal(2, taken.Job.Attempt);
        await world.Console.Get<TranscodeRunner>().RunAsync(taken);

        var done = await world.JobAsync(jobId);
        Assert.Equal(TranscodeJobState.Done, done.State);
        Assert.Null(await world.Console.Get<TranscodeRunner>().ClaimNextAsync());

        // The old claim, if its server came back, can no longer record anything: the job ran to Done once.
        await world.Console.Get<TranscodeRunner>().RunAsync(abandoned);
        var after = await world.JobAsync(jobId);
        Assert.Equal((TranscodeJobState.Done, 2, done.OutputKey), (after.State, after.Attempt, after.OutputKey));
        Assert.Equal(1, OutputTrees());
        await using var db = await world.OpenAsync();
        Assert.Equal(3, await db.MediaDerivatives.CountAsync(d => d.JobId == jobId));
    }

    [Fact]
    public async Task A_job_stopped_with_its_server_goes_back_to_the_queue_and_finishes_after_the_restart()
    {
        var jobId = await QueueAsync();
        var claim = await world.Console.Get<TranscodeRunner>().ClaimNextAsync();
        using var stopping = new CancellationTokenSource();
        var run = world.Console.Get<TranscodeRunner>().RunAsync(claim!, stopping.Token);
        // ffmpeg is at work (the heartbeat wrote a percentage) when the server stops.
        await WaitForAsync(async () => (await world.JobAsync(jobId)).Percent > 0 || run.IsCompleted, "ffmpeg reported progress");
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var stopped = await world.JobAsync(jobId);
        Assert.Equal((TranscodeJobState.Queued, null), (stopped.State, stopped.LeaseOwner));
        Assert.Equal(0, OutputTrees());

        await world.RestartAsync();
        Assert.Equal(1, await world.RunQueuedAsync());

        var done = await world.JobAsync(jobId);
        Assert.Equal((TranscodeJobState.Done, 2), (done.State, done.Attempt));
        Assert.Equal(1, OutputTrees());
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_keeps_nothing_and_a_retry_finishes_it()
    {
        var jobId = await QueueAsync();
        var claim = await world.Console.Get<TranscodeRunner>().ClaimNextAsync();
        var run = world.Console.Get<TranscodeRunner>().RunAsync(claim!);

        // Whether ffmpeg is stopped at the next heartbeat or finishes first, the cancelled claim commits nothing.
        await (await world.InApp<TranscodeJobs>()).CancelAsync(jobId);
        await run;

        var cancelled = await world.JobAsync(jobId);
        Assert.Equal(TranscodeJobState.Cancelled, cancelled.State);
        Assert.Null(cancelled.OutputKey);
        Assert.Equal(0, OutputTrees());

        await (await world.InApp<TranscodeJobs>()).RetryAsync(jobId);
        Assert.Equal(1, await world.RunQueuedAsync());
        Assert.Equal(TranscodeJobState.Done, (await world.JobAsync(jobId)).State);
    }
}
