using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Media;

/// <summary>
/// Reads what uploaded media is (duration, size) and makes its cover, then moves it to Normal, or to Failed with the
/// reason. The database is the queue: whatever is still Processing after a restart is picked up again.
/// </summary>
public sealed class MediaProcessor(
    ApplicationData data, IMediaStorage storage, MediaProbe probe, MediaCovers covers, AccessPolicy access, CallbackEvents callbacks,
    TranscodeSignal transcoding, TimeProvider clock)
{
    private const int BatchSize = 20;

    /// <summary>Processes a batch of waiting media and returns how many it took (0: nothing is waiting).</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        // System-wide on purpose: processing serves every application and acts only on the rows it reads here.
        await using var db = await data.OpenSystemWideAsync(ct);
        var pending = await db.Media
            .Where(m => m.Status == MediaStatus.Processing)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        foreach (var item in pending)
        {
            var stored = await ProcessAsync(item, ct);
            item.ModifiedAt = clock.GetUtcNow().UtcDateTime;
            try
            {
                await callbacks.AddAsync(db, item.ApplicationId, CallbackEventType.MediaProcessed, new
                {
                    MediaId = item.Id, Status = item.Status.ToString(), item.FailureReason, item.DurationSeconds, item.Width, item.Height,
                    item.ContentType,
                }, ct);
                if (item.Status == MediaStatus.Normal)
                {
                    // The application's default processing starts with the item being ready: saved together, so a crash
                    // between the two cannot leave a ready item that was never queued.
                    await TranscodeJobs.AddDefaultAsync(db, item, clock, ct);
                }
                await db.SaveChangesAsync(ct);
            }
            catch
            {
                stored.ForEach(storage.Delete);
                throw;
            }
        }
        if (pending.Count > 0)
        {
            transcoding.Notify();
        }
        return pending.Count;
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
