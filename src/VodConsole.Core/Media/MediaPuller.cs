using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Network;

namespace VodConsole.Core.Media;

/// <summary>
/// Fetches queued pull jobs over <see cref="OutboundHttp"/> and stores each exactly as an upload is stored (content
/// check, size limit, temporary file, media row, roll-ups) through <see cref="MediaUploadService"/>. A job ends Done
/// with its media item, or Failed with a reason and nothing kept.
/// </summary>
public sealed class MediaPuller(
    MediaUploadService uploads, IHttpClientFactory httpClients, IOptions<MediaOptions> options,
    AccessPolicy access, JobLeases leases, TimeProvider clock, ILogger<MediaPuller> logger)
{
    /// <summary>Progress is written when this many bytes arrived since the last write...</summary>
    public const long ProgressBytes = 1_000_000;
    /// <summary>... or when this much time passed, whichever is first: the page sees movement without a write per read.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a server may send nothing in the middle of a body before the pull gives up.</summary>
    internal TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Queued pulls, and downloading ones (taken over once their lease ran out), oldest first.</summary>
    public static readonly LeasedJobKind<MediaPull> Kind = new(
        "Pull",
        p => p.State == MediaPullState.Queued || p.State == MediaPullState.Downloading,
        pulls => pulls.OrderBy(p => p.Id),
        (s, now) => s.SetProperty(p => p.State, MediaPullState.Downloading).SetProperty(p => p.StartedAt, now)
            .SetProperty(p => p.BytesReceived, 0L).SetProperty(p => p.TotalBytes, (long?)null).SetProperty(p => p.FailureReason, (string?)null),
        // Nothing of a pull that stopped is kept (the upload path wrote only a temporary file): it starts from the beginning.
        s => s.SetProperty(p => p.State, MediaPullState.Queued).SetProperty(p => p.BytesReceived, 0L).SetProperty(p => p.StartedAt, (DateTime?)null));

    /// <summary>Claims the oldest queued pull, or one whose instance died (its lease ran out); null when nothing is waiting.</summary>
    public Task<JobLease<MediaPull>?> ClaimNextAsync(CancellationToken ct = default) => leases.ClaimNextAsync(Kind, ct);

    /// <summary>Pulls a claimed job to its end: Done with its media, or Failed with the reason.</summary>
    public async Task PullAsync(JobLease<MediaPull> lease, CancellationToken ct = default)
    {
        access.RequireSystem();
        var job = lease.Job;
        await using var held = leases.Hold(lease, null, ct);
        try
        {
            var item = await DownloadAsync(lease, held.Token);
            logger.LogInformation("Pull {PullId} of application {ApplicationId} stored {Bytes} bytes as media {MediaId}.",
                job.Id, job.ApplicationId, item.SizeBytes, item.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The instance is stopping: the job goes back to the queue for another instance or the next start.
            await leases.ReleaseAsync(Kind, lease);
            throw;
        }
        catch (Exception stale) when (held.IsLost || stale is DbUpdateConcurrencyException)
        {
            // Taken over by another instance (this one was too slow to renew its lease): that one records the outcome;
            // the upload path removed this run's file.
            logger.LogInformation("Pull {PullId} of application {ApplicationId} was taken over; this run's download is discarded.", job.Id, job.ApplicationId);
        }
        catch (Exception failure)
        {
            var reason = ReasonFor(failure);
            if (reason is null)
            {
                reason = "The pull stopped because of an unexpected error; the server log has the details.";
                logger.LogError(failure, "Pull {PullId} of application {ApplicationId} failed unexpectedly.", job.Id, job.ApplicationId);
            }
            else
            {
                logger.LogInformation("Pull {PullId} of application {ApplicationId} failed: {Reason}", job.Id, job.ApplicationId, reason);
            }
            var finished = clock.GetUtcNow().UtcDateTime;
            var stored = reason.Length <= MediaPull.FailureReasonMaxLength ? reason : reason[..MediaPull.FailureReasonMaxLength];
            await leases.UpdateHeldAsync(lease, s => s
                .SetProperty(p => p.State, MediaPullState.Failed)
                .SetProperty(p => p.FailureReason, stored)
                .SetProperty(p => p.FinishedAt, finished)
                .SetProperty(p => p.LeaseOwner, (string?)null)
                .SetProperty(p => p.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    private async Task<MediaItem> DownloadAsync(JobLease<MediaPull> lease, CancellationToken ct)
    {
        var job = lease.Job;
        var maxBytes = options.Value.MaxUploadBytes;
        var client = httpClients.CreateClient(OutboundHttp.ClientName);
        using var response = await client.GetAsync(job.Url, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            throw new MediaPullFailedException(
                $"The server redirected more than {OutboundHttp.MaxRedirects} times, or to an address that is not http or https (HTTP {status} {response.ReasonPhrase}).");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new MediaPullFailedException($"HTTP {status} {response.ReasonPhrase}");
        }
        if (response.Content.Headers.ContentLength is { } announced)
        {
            if (announced > maxBytes)
            {
                throw new MediaUploadRefusedException(UploadRefusal.TooLarge, MediaUploadService.TooLargeMessage(maxBytes));
            }
            await leases.UpdateHeldAsync(lease, s => s.SetProperty(p => p.TotalBytes, announced), ct);
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var watched = new PullStream(body, IdleTimeout, clock, received => leases.UpdateHeldAsync(lease, s => s.SetProperty(p => p.BytesReceived, received), ct));
        return await uploads.UploadAsync(job.ApplicationId, job.FileName, watched, maxBytes, (db, item) =>
        {
            // Fenced: the job's attempt and owner are concurrency tokens, so if another instance took the pull over, this
            // save fails and the upload path removes the file.
            db.MediaPulls.Attach(job);
            JobLeases.End(job);
            job.State = MediaPullState.Done;
            job.Media = item;
            job.BytesReceived = watched.BytesRead;
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        }, ct);
    }

    /// <summary>The operator's explanation of a failure, or null for one nobody foresaw (a bug, the database down).</summary>
    private string? ReasonFor(Exception failure) => failure switch
    {
        MediaPullFailedException or MediaUploadRefusedException => failure.Message,
        PullStream.IdleException => $"The server stopped sending data for {Seconds(IdleTimeout)} seconds.",
        _ => OutboundFailures.Describe(failure) ?? failure switch
        {
            HttpRequestException or IOException => "The connection to the server was lost during the download.",
            _ => null,
        },
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>A failure the puller diagnosed itself; the message is the reason shown.</summary>
    private sealed class MediaPullFailedException(string reason) : Exception(reason);

    /// <summary>
    /// The response body on its way to storage: gives up when the server goes quiet, and reports progress throttled
    /// to one write per <see cref="ProgressBytes"/> or <see cref="ProgressInterval"/>.
    /// </summary>
    private sealed class PullStream(Stream body, TimeSpan idleTimeout, TimeProvider clock, Func<long, Task> report) : ForwardReadStream
    {
        private long reportedBytes;
        private long reportedAt = clock.GetTimestamp();

        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            int read;
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                quiet.CancelAfter(idleTimeout);
                try
                {
                    read = await body.ReadAsync(buffer, quiet.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new IdleException();
                }
            }
            BytesRead += read;
            if (read > 0 && (BytesRead - reportedBytes >= ProgressBytes || clock.GetElapsedTime(reportedAt) >= ProgressInterval))
            {
                reportedBytes = BytesRead;
                reportedAt = clock.GetTimestamp();
                await report(BytesRead);
            }
            return read;
        }

        public sealed class IdleException() : TimeoutException("The server stopped sending data.");
    }
}
