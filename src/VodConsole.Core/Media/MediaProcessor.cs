using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Media;

/// <summary>
/// Reads what uploaded media is (duration, size) and makes its cover, then moves it to Normal, or to Failed with the
/// reason. The database is the queue: each item is claimed with a lease (<see cref="JobLeases"/>), so of several instances
/// one processes it, and an item whose instance died is processed again once the lease runs out. The outcome is saved
/// only by the holder of the latest attempt; a stale processor's cover and storyboard are deleted.
/// </summary>
public sealed class MediaProcessor(
    ApplicationData data, IMediaStorage storage, MediaProbe probe, MediaCovers covers, AccessPolicy access, CallbackEvents callbacks,
    TranscodeSignal transcoding, JobLeases leases, TimeProvider clock, ILogger<MediaProcessor> logger)
{
    private const int BatchSize = 20;

    /// <summary>Items waiting for processing (or whose processor's lease ran out), oldest first.</summary>
    public static readonly LeasedJobKind<MediaItem> Kind = new(
        "Media processing",
        m => m.Status == MediaStatus.Processing,
        media => media.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id),
        (_, _) => { },
        _ => { });

    /// <summary>Claims and processes up to a batch of waiting media, one at a time; returns how many it took (0: nothing is waiting).</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var taken = 0;
        while (taken < BatchSize && await leases.ClaimNextAsync(Kind, ct) is { } lease)
        {
            await ProcessAsync(lease, ct);
            taken++;
        }
        if (taken > 0)
        {
            transcoding.Notify();
        }
        return taken;
    }

    /// <summary>Processes one claimed item and saves the outcome if the lease still holds.</summary>
    public async Task ProcessAsync(JobLease<MediaItem> lease, CancellationToken ct = default)
    {
        access.RequireSystem();
        var item = lease.Job;
        List<string> stored;
        await using (var held = leases.Hold(lease, null, ct))
        {
            try
            {
                stored = await ProcessAsync(item, held.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await leases.ReleaseAsync(Kind, lease); // the instance is stopping: another one (or the next start) processes it
                throw;
            }
            catch (OperationCanceledException) when (held.IsLost)
            {
                logger.LogInformation("Processing media {MediaId} was taken over by another instance; this run stopped.", item.Id);
                return;
            }
        }
        // The outcome is saved even if the instance is stopping now: the work is done (as a transcoding commit is).
        var none = CancellationToken.None;
        try
        {
            await using var db = await data.OpenForAsync(item.ApplicationId, none);
            if (await JobLeases.FindHeldAsync(db, lease, none) is not { Status: MediaStatus.Processing } row)
            {
                stored.ForEach(storage.Delete);
                logger.LogInformation("Processing media {MediaId} finished after it was taken over or deleted; its files are discarded.", item.Id);
                return;
            }
            CopyOutcome(item, row);
            JobLeases.End(row);
            row.ModifiedAt = clock.GetUtcNow().UtcDateTime;
            await callbacks.AddAsync(db, row.ApplicationId, CallbackEventType.MediaProcessed, new
            {
                MediaId = row.Id, Status = row.Status.ToString(), row.FailureReason, row.DurationSeconds, row.Width, row.Height,
                row.ContentType,
            }, none);
            if (row.Status == MediaStatus.Normal)
            {
                // The application's default processing starts with the item being ready: saved together, so a crash
                // between the two cannot leave a ready item that was never queued.
                await TranscodeJobs.AddDefaultAsync(db, row, clock, none);
            }
            await db.SaveChangesAsync(none);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Taken over, or edited, between the check and the save: the next claim processes it again if it still waits.
            stored.ForEach(storage.Delete);
            await leases.ReleaseAsync(Kind, lease); // if the lease is still this run's (an edit), the item waits for no expiry
            logger.LogInformation("Processing media {MediaId} changed meanwhile; this run's files are discarded.", item.Id);
        }
        catch
        {
            stored.ForEach(storage.Delete);
            throw;
        }
    }

    /// <summary>What processing learned, onto the row as it is now (a title edited meanwhile stays).</summary>
    private static void CopyOutcome(MediaItem from, MediaItem to)
    {
        to.Status = from.Status;
        to.FailureReason = from.FailureReason;
        to.DurationSeconds = from.DurationSeconds;
        to.Width = from.Width;
        to.Height = from.Height;
        to.VideoCodec = from.VideoCodec;
        to.AudioCodec = from.AudioCodec;
        to.BitrateBps = from.BitrateBps;
        to.CoverKey = from.CoverKey;
        to.StoryboardKeys = from.StoryboardKeys;
    }

    /// <summary>Fills in the item; returns the keys of the files it stored (cover, storyboard), if any.</summary>
    private async Task<List<string>> ProcessAsync(MediaItem item, CancellationToken ct)
    {
        try
        {
            // A temporary download on object storage, kept while ffprobe and ffmpeg read it (covers, storyboard).
            using var copy = await storage.LocalCopyAsync(item.StorageKey, ct) ?? throw new MediaProbeException("The uploaded file is missing.");
            var path = copy.Path;
            var kind = MediaContent.KindOf(item.ContentType);
            var probed = await probe.ProbeAsync(path, ct);
            if (kind != MediaKind.Audio && (probed.Width is null || probed.Height is null))
            {
                throw new MediaProbeException("The file has no picture that could be read.");
            }
            if (kind != MediaKind.Image && probed.DurationSeconds is null)
            {
                throw new MediaProbeException("The file's duration could not be read.");
            }

            var coverKey = kind switch
            {
                MediaKind.Video => await covers.StoreFrameAsync(item.ApplicationId, path, probed.DurationSeconds > 1 ? 1 : null, ct),
                MediaKind.Image => await covers.StoreFrameAsync(item.ApplicationId, path, null, ct),
                _ => null,
            };
            item.DurationSeconds = kind == MediaKind.Image ? null : probed.DurationSeconds;
            item.Width = kind == MediaKind.Audio ? null : probed.Width;
            item.Height = kind == MediaKind.Audio ? null : probed.Height;
            item.VideoCodec = kind == MediaKind.Audio ? null : probed.VideoCodec;
            item.AudioCodec = probed.AudioCodec;
            item.BitrateBps = kind == MediaKind.Image ? null : probed.BitrateBps;
            // A reviewer decides from the storyboard without playing the item: drawn once, here, only for items awaiting review.
            var storyboard = kind == MediaKind.Video && item.ReviewState == ReviewState.Awaiting
                ? await StoryboardAsync(item.ApplicationId, path, probed.DurationSeconds!.Value, coverKey, ct)
                : [];
            item.CoverKey = coverKey;
            item.StoryboardKeys = storyboard;
            item.Status = MediaStatus.Normal;
            item.FailureReason = null;
            return coverKey is null ? storyboard : [coverKey, .. storyboard];
        }
        catch (MediaProbeException failure)
        {
            item.Status = MediaStatus.Failed;
            item.FailureReason = failure.Message;
            return [];
        }
    }

    private async Task<List<string>> StoryboardAsync(long applicationId, string path, double duration, string? coverKey, CancellationToken ct)
    {
        try
        {
            return await covers.StoreStoryboardAsync(applicationId, path, duration, MediaReview.StoryboardFrames, ct);
        }
        catch
        {
            if (coverKey is not null)
            {
                storage.Delete(coverKey);
            }
            throw;
        }
    }
}
