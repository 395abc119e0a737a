using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Network;

namespace VodConsole.Core.Media;

/// <summary>
/// Fetches queued pull jobs over <see cref="OutboundHttp"/> and stores each exactly as an upload is stored (content
/// check, size limit, temporary file, media row, roll-ups) through <see cref="MediaUploadService"/>. A job ends Done
/// with its media item, or Failed with a reason and nothing kept.
/// </summary>
public sealed class MediaPuller(
    ApplicationData data, MediaUploadService uploads, IHttpClientFactory httpClients, IOptions<MediaOptions> options,
    AccessPolicy access, TimeProvider clock, ILogger<MediaPuller> logger)
{
    /// <summary>Progress is written when this many bytes arrived since the last write...</summary>
    public const long ProgressBytes = 1_000_000;
    /// <summary>... or when this much time passed, whichever is first: the page sees movement without a write per read.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a server may send nothing in the middle of a body before the pull gives up.</summary>
    internal TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Puts back in the queue what an earlier run was downloading when it stopped (its partial file was never renamed
    /// into place). Call once at start, before taking jobs.
    /// </summary>
    public async Task<int> RequeueInterruptedAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        // System-wide on purpose: start-up recovery serves every application and changes only the pull state.
        await using var db = await data.OpenSystemWideAsync(ct);
        return await db.MediaPulls
            .Where(p => p.State == MediaPullState.Downloading)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.State, MediaPullState.Queued)
                .SetProperty(p => p.BytesReceived, 0L)
                .SetProperty(p => p.StartedAt, (DateTime?)null), ct);
    }

    /// <summary>Marks the oldest queued job Downloading and returns it, or null when nothing is waiting.</summary>
    public async Task<MediaPull?> ClaimNextAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        while (true)
        {
            MediaPull? next;
            // System-wide only to find the oldest queued job; the job is then claimed and handled in its application's context.
            await using (var queue = await data.OpenSystemWideAsync(ct))
            {
                next = await queue.MediaPulls.AsNoTracking()
                    .Where(p => p.State == MediaPullState.Queued)
                    .OrderBy(p => p.Id)
                    .FirstOrDefaultAsync(ct);
            }
            if (next is null)
            {
                return null;
            }

            // A conditional update is the claim: of two workers (or servers) racing for the job, exactly one changes the row.
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await data.OpenForAsync(next.ApplicationId, ct);
            var claimed = await db.MediaPulls
                .Where(p => p.Id == next.Id && p.State == MediaPullState.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.State, MediaPullState.Downloading)
                    .SetProperty(p => p.StartedAt, now)
                    .SetProperty(p => p.BytesReceived, 0L)
                    .SetProperty(p => p.TotalBytes, (long?)null)
                    .SetProperty(p => p.FailureReason, (string?)null), ct);
            if (claimed == 1)
            {
                next.State = MediaPullState.Downloading;
                next.StartedAt = now;
                return next;
            }
        }
    }

    /// <summary>Pulls a claimed job to its end: Done with its media, or Failed with the reason.</summary>
    public async Task PullAsync(MediaPull job, CancellationToken ct = default)
    {
        access.RequireSystem();
        try
        {
            var item = await DownloadAsync(job, ct);
            logger.LogInformation("Pull {PullId} of application {ApplicationId} stored {Bytes} bytes as media {MediaId}.",
                job.Id, job.ApplicationId, item.SizeBytes, item.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server is stopping: the job goes back to the queue for the next start (the upload path kept nothing).
            await UpdateAsync(job, s => s.SetProperty(p => p.State, MediaPullState.Queued).SetProperty(p => p.BytesReceived, 0L));
            throw;
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
            await UpdateAsync(job, s => s
                .SetProperty(p => p.State, MediaPullState.Failed)
                .SetProperty(p => p.FailureReason, stored)
                .SetProperty(p => p.FinishedAt, finished));
        }
    }

    private async Task<MediaItem> DownloadAsync(MediaPull job, CancellationToken ct)
    {
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
            await UpdateAsync(job, s => s.SetProperty(p => p.TotalBytes, announced), ct);
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var watched = new PullStream(body, IdleTimeout, clock, received => UpdateAsync(job, s => s.SetProperty(p => p.BytesReceived, received), ct));
        return await uploads.UploadAsync(job.ApplicationId, job.FileName, watched, maxBytes, (db, item) =>
        {
            db.MediaPulls.Attach(job);
            job.State = MediaPullState.Done;
            job.Media = item;
            job.BytesReceived = watched.BytesRead;
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        }, ct);
    }

    /// <summary>Writes columns of a job that is still being pulled (never touches one that has finished).</summary>
    private async Task UpdateAsync(
        MediaPull job, Action<UpdateSettersBuilder<MediaPull>> set, CancellationToken ct = default)
    {
        await using var db = await data.OpenForAsync(job.ApplicationId, ct);
        await db.MediaPulls.Where(p => p.Id == job.Id && p.State == MediaPullState.Downloading).ExecuteUpdateAsync(set, ct);
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
