using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Transcoding;

/// <summary>
/// Takes transcoding jobs from the database and runs them. A claim takes the job's lease (<see cref="JobLeases"/>), which the
/// runner renews while ffmpeg works, writing the percentage with it. Every write is fenced by the claim's attempt, so a job
/// cancelled, retried or taken over after a lost lease stops its old runner at the next heartbeat, and only the runner
/// holding the current attempt commits: the job runs to Done once. The output is written to a temporary folder and stored
/// as one tree only when complete; the job's previous output is replaced.
/// </summary>
public sealed class TranscodeRunner(
    ApplicationData data, IMediaStorage storage, MediaProbe probe, FfmpegTranscoder ffmpeg, UsageRecorder usage, TranscodeMetering metering, AccessPolicy access,
    JobLeases leases, TimeProvider clock, ILogger<TranscodeRunner> logger)
{
    /// <summary>Queued jobs, and running ones (taken over once their lease ran out), oldest first.</summary>
    public static readonly LeasedJobKind<TranscodeJob> Kind = new(
        "Transcoding job",
        j => j.State == TranscodeJobState.Queued || j.State == TranscodeJobState.Running,
        jobs => jobs.OrderBy(j => j.Id),
        (s, now) => s.SetProperty(j => j.State, TranscodeJobState.Running).SetProperty(j => j.Percent, 0).SetProperty(j => j.StartedAt, now),
        s => s.SetProperty(j => j.State, TranscodeJobState.Queued).SetProperty(j => j.Percent, 0));

    /// <summary>Claims the oldest queued job, or a running one whose lease ran out (its instance died); null when there is none.</summary>
    public Task<JobLease<TranscodeJob>?> ClaimNextAsync(CancellationToken ct = default) => leases.ClaimNextAsync(Kind, ct);

    /// <summary>Runs a claimed job to its end: Done with its derivatives, or Failed with the reason; or not at all if the claim was lost.</summary>
    public async Task RunAsync(JobLease<TranscodeJob> claim, CancellationToken ct = default)
    {
        access.RequireSystem();
        var job = claim.Job;
        var work = TranscodeWorkFolders.For(job, claim.Attempt);
        TranscodeWorkFolders.RemoveEarlierAttempts(job, claim.Attempt);
        var percent = 0;
        var held = leases.Hold(claim, s => s.SetProperty(j => j.Percent, percent), ct);
        try
        {
            var (derivatives, bytes) = await ProduceAsync(job, work, p => percent = (int)(p * 99), held.Token);
            await held.DisposeAsync(); // the heartbeat stops; the commit below is fenced by the attempt itself
            await CommitAsync(claim, work, derivatives, bytes);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The instance is stopping: the job goes back to the queue for another instance, or the next start.
            await leases.ReleaseAsync(Kind, claim);
            throw;
        }
        catch (OperationCanceledException) when (held.IsLost)
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
            await held.DisposeAsync();
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
    private async Task CommitAsync(JobLease<TranscodeJob> claim, string work, IReadOnlyList<MediaDerivative> derivatives, long bytes)
    {
        var job = claim.Job;
        var key = await storage.SaveTreeAsync(job.ApplicationId, work, CancellationToken.None);
        string? previousKey;
        long previousBytes;
        try
        {
            await using var db = await data.OpenForAsync(job.ApplicationId, CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var row = await JobLeases.FindHeldAsync(db, claim);
            if (row is not { State: TranscodeJobState.Running })
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
            JobLeases.End(row);
            row.OutputKey = key;
            row.OutputBytes = bytes;
            // The storage figure counts the outputs and commits with them (decision 0009); so do the output seconds and
            // the TranscodeComplete event: a lost claim (above) records neither.
            await metering.RecordDoneAsync(db, row, derivatives, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await usage.ChangeLevelAsync(db, job.ApplicationId, UsageMetric.StorageBytes, bytes - previousBytes, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            storage.Delete(key);
            logger.LogInformation("Transcoding job {JobId} was cancelled or taken over while its output was saved; the output is discarded.", job.Id);
            return;
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

    private async Task FailAsync(JobLease<TranscodeJob> claim, string reason)
    {
        var stored = reason.Length <= TranscodeJob.FailureReasonMaxLength ? reason : reason[..TranscodeJob.FailureReasonMaxLength];
        var finished = Now;
        logger.LogInformation("Transcoding job {JobId} failed: {Reason}", claim.Job.Id, stored);
        await using var db = await data.OpenForAsync(claim.Job.ApplicationId, CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var row = await JobLeases.FindHeldAsync(db, claim);
        if (row is not { State: TranscodeJobState.Running })
        {
            return; // cancelled, deleted or taken over: the current holder reports the outcome
        }
        row.State = TranscodeJobState.Failed;
        row.FailureReason = stored;
        row.FinishedAt = finished;
        JobLeases.End(row);
        // The event is saved with the failure; a previous run's files stay (and are not listed as this run's outcome).
        await metering.AddEventAsync(db, row, [], CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
