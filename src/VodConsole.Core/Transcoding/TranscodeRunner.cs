using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Transcoding;

/// <summary>
/// A job a runner holds: the row as claimed, and the token every write of this runner is conditional on; when the job was
/// taken over from a runner that died, that runner's token (its unfinished output may still be in the temporary folder).
/// </summary>
public sealed record TranscodeClaim(TranscodeJob Job, string Token, string? AbandonedToken = null);

/// <summary>
/// Takes transcoding jobs from the database and runs them. A claim is a conditional update that sets a fresh token and
/// a lease; the runner renews the lease while ffmpeg works and writes the percentage with it. Every write is
/// conditional on the token, so a job cancelled, retried or taken over after a lost lease stops its old runner at the
/// next heartbeat, and only the runner holding the current claim commits: the job runs to Done once. The output is
/// written to a temporary folder and stored as one tree only when complete; the job's previous output is replaced.
/// </summary>
public sealed class TranscodeRunner(
    ApplicationData data, IMediaStorage storage, MediaProbe probe, FfmpegTranscoder ffmpeg, UsageRecorder usage, TranscodeMetering metering, AccessPolicy access,
    IOptions<ProcessingOptions> options, TimeProvider clock, ILogger<TranscodeRunner> logger)
{
    private TimeSpan Lease => options.Value.JobLease;

    /// <summary>Claims the oldest queued job, or a running one whose lease ran out (its server died); null when there is none.</summary>
    public async Task<TranscodeClaim?> ClaimNextAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        while (true)
        {
            var now = Now;
            TranscodeJob? next;
            // System-wide only to find the next job; it is then claimed in its application's context.
            await using (var queue = await data.OpenSystemWideAsync(ct))
            {
                next = await queue.TranscodeJobs.AsNoTracking()
                    .Where(j => j.State == TranscodeJobState.Queued || (j.State == TranscodeJobState.Running && j.LeaseUntil < now))
                    .OrderBy(j => j.Id)
                    .FirstOrDefaultAsync(ct);
            }
            if (next is null)
            {
                return null;
            }

            // The claim: of two runners racing for the job, exactly one changes the row (its token is the one the row had).
            var token = Guid.NewGuid().ToString("N");
            var leaseUntil = now + Lease;
            await using var db = await data.OpenForAsync(next.ApplicationId, ct);
            var claimed = await db.TranscodeJobs
                .Where(j => j.Id == next.Id && j.State == next.State && j.ClaimToken == next.ClaimToken)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, TranscodeJobState.Running)
                    .SetProperty(j => j.ClaimToken, token)
                    .SetProperty(j => j.LeaseUntil, leaseUntil)
                    .SetProperty(j => j.Attempt, j => j.Attempt + 1)
                    .SetProperty(j => j.Percent, 0)
                    .SetProperty(j => j.StartedAt, now), ct);
            if (claimed == 1)
            {
                var abandoned = next.State == TranscodeJobState.Running ? next.ClaimToken : null;
                if (abandoned is not null)
                {
                    logger.LogWarning("Transcoding job {JobId} of application {ApplicationId} lost its runner; taken over.", next.Id, next.ApplicationId);
                }
                next.State = TranscodeJobState.Running;
                next.ClaimToken = token;
                next.LeaseUntil = leaseUntil;
                next.Attempt++;
                next.StartedAt = now;
                return new TranscodeClaim(next, token, abandoned);
            }
        }
    }

    /// <summary>Runs a claimed job to its end: Done with its derivatives, or Failed with the reason; or not at all if the claim was lost.</summary>
    public async Task RunAsync(TranscodeClaim claim, CancellationToken ct = default)
    {
        access.RequireSystem();
        var job = claim.Job;
        var work = WorkFolder(job.Id, claim.Token);
        if (claim.AbandonedToken is not null && Directory.Exists(WorkFolder(job.Id, claim.AbandonedToken)))
        {
            // A runner killed on this machine left its half-written output; named by its claim, so no other job's or
            // other server's folder is ever taken for it.
            Directory.Delete(WorkFolder(job.Id, claim.AbandonedToken), recursive: true);
        }
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var percent = 0;
        var heartbeat = HeartbeatAsync(claim, () => percent, lost);
        try
        {
            var (derivatives, bytes) = await ProduceAsync(job, work, p => percent = (int)(p * 99), lost.Token);
            await lost.CancelAsync(); // the heartbeat stops; the commit below holds the claim itself
            await heartbeat;
            await CommitAsync(claim, work, derivatives, bytes);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server is stopping: the job goes back to the queue for the next start, or another server.
            await UpdateIfClaimedAsync(claim, s => s
                .SetProperty(j => j.State, TranscodeJobState.Queued)
                .SetProperty(j => j.ClaimToken, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTime?)null)
                .SetProperty(j => j.Percent, 0));
            throw;
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            logger.LogInformation("Transcoding job {JobId} was cancelled, deleted or taken over; its run stopped.", job.Id);
        }
        catch (TranscodeFailedException failure)
        {
            await FailAsync(claim, failure.Message);
        }
        catch (MediaProbeException failure)
        {
            await FailAsync(claim, failure.Message);
        }
        catch (Exception failure)
        {
            logger.LogError(failure, "Transcoding job {JobId} of application {ApplicationId} failed unexpectedly.", job.Id, job.ApplicationId);
            await FailAsync(claim, "The job stopped because of an unexpected error; the server log has the details.");
        }
        finally
        {
            await lost.CancelAsync();
            await heartbeat;
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<(IReadOnlyList<MediaDerivative> Derivatives, long Bytes)> ProduceAsync(
        TranscodeJob job, string work, Action<double> progress, CancellationToken ct)
    {
        MediaItem? media;
        await using (var db = await data.OpenForAsync(job.ApplicationId, ct))
        {
            media = await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == job.MediaId, ct);
        }
        // A temporary download on object storage, removed once ffmpeg is done with it.
        using var copy = (media is null ? null : await storage.LocalCopyAsync(media.StorageKey, ct))
            ?? throw new TranscodeFailedException("The media's original file is missing.");
        var source = copy.Path;
        var probed = await probe.ProbeAsync(source, ct);
        var plan = TranscodePlan.For(job.Format, job.Renditions, probed);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        await ffmpeg.RunAsync(source, probed, plan, work, progress, ct);
        var derivatives = await ffmpeg.DescribeAsync(plan, work, ct);
        var bytes = Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return (derivatives, bytes);
    }

    /// <summary>
    /// Stores the output tree, then in one save marks the job Done and replaces its derivatives — only if the claim still
    /// holds. The previous output is deleted after the save; a claim lost meanwhile deletes the new tree instead.
    /// </summary>
    private async Task CommitAsync(TranscodeClaim claim, string work, IReadOnlyList<MediaDerivative> derivatives, long bytes)
    {
        var job = claim.Job;
        var key = await storage.SaveTreeAsync(job.ApplicationId, work, CancellationToken.None);
        string? previousKey;
        long previousBytes;
        try
        {
            await using var db = await data.OpenForAsync(job.ApplicationId, CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var row = await db.TranscodeJobs.SingleOrDefaultAsync(j => j.Id == job.Id && j.ClaimToken == claim.Token && j.State == TranscodeJobState.Running);
            if (row is null)
            {
                storage.Delete(key);
                logger.LogInformation("Transcoding job {JobId} finished after it was cancelled or taken over; its output is discarded.", job.Id);
                return;
            }
            previousKey = row.OutputKey;
            previousBytes = row.OutputBytes;
            await db.MediaDerivatives.Where(d => d.JobId == job.Id).ExecuteDeleteAsync();
            foreach (var derivative in derivatives)
            {
                derivative.ApplicationId = job.ApplicationId;
                derivative.MediaId = job.MediaId;
                derivative.JobId = job.Id;
                db.MediaDerivatives.Add(derivative);
            }
            row.State = TranscodeJobState.Done;
            row.Percent = 100;
            row.FinishedAt = Now;
            row.ClaimToken = null;
            row.LeaseUntil = null;
            row.OutputKey = key;
            row.OutputBytes = bytes;
            // The storage figure counts the outputs and commits with them (decision 0009); so do the output seconds and
            // the TranscodeComplete event: a lost claim (above) records neither.
            await metering.RecordDoneAsync(db, row, derivatives, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await usage.ChangeLevelAsync(db, job.ApplicationId, UsageMetric.StorageBytes, bytes - previousBytes, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            storage.Delete(key);
            throw;
        }
        if (previousKey is not null)
        {
            storage.Delete(previousKey);
        }
        logger.LogInformation("Transcoding job {JobId} of application {ApplicationId} stored {Count} outputs ({Bytes} bytes).",
            job.Id, job.ApplicationId, derivatives.Count, bytes);
    }

    private async Task FailAsync(TranscodeClaim claim, string reason)
    {
        var stored = reason.Length <= TranscodeJob.FailureReasonMaxLength ? reason : reason[..TranscodeJob.FailureReasonMaxLength];
        var finished = Now;
        logger.LogInformation("Transcoding job {JobId} failed: {Reason}", claim.Job.Id, stored);
        await using var db = await data.OpenForAsync(claim.Job.ApplicationId, CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var row = await db.TranscodeJobs.SingleOrDefaultAsync(
            j => j.Id == claim.Job.Id && j.ClaimToken == claim.Token && j.State == TranscodeJobState.Running, CancellationToken.None);
        if (row is null)
        {
            return; // cancelled, deleted or taken over: the current holder reports the outcome
        }
        row.State = TranscodeJobState.Failed;
        row.FailureReason = stored;
        row.FinishedAt = finished;
        row.ClaimToken = null;
        row.LeaseUntil = null;
        // The event is saved with the failure; a previous run's files stay (and are not listed as this run's outcome).
        await metering.AddEventAsync(db, row, [], CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// Renews the lease and writes the percentage four times per lease (at least once a second while the lease is long);
    /// when the row no longer carries the claim — cancelled, deleted with its media, taken over — it stops the run.
    /// </summary>
    private async Task HeartbeatAsync(TranscodeClaim claim, Func<int> percent, CancellationTokenSource lost)
    {
        var interval = TimeSpan.FromTicks(Math.Min(Lease.Ticks / 4, TimeSpan.FromSeconds(1).Ticks));
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(interval, clock, lost.Token);
                var value = percent();
                var leaseUntil = Now + Lease;
                if (await UpdateIfClaimedAsync(claim, s => s.SetProperty(j => j.Percent, value).SetProperty(j => j.LeaseUntil, leaseUntil)) == 0)
                {
                    await lost.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<int> UpdateIfClaimedAsync(
        TranscodeClaim claim, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<TranscodeJob>> set)
    {
        await using var db = await data.OpenForAsync(claim.Job.ApplicationId, CancellationToken.None);
        return await db.TranscodeJobs
            .Where(j => j.Id == claim.Job.Id && j.ClaimToken == claim.Token && j.State == TranscodeJobState.Running)
            .ExecuteUpdateAsync(set, CancellationToken.None);
    }

    /// <summary>Where a run writes its output before it is stored: one folder per job and claim.</summary>
    private static string WorkFolder(long jobId, string token) => Path.Combine(Path.GetTempPath(), $"vodconsole-transcode-{jobId}-{token}");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
