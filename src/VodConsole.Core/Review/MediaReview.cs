using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Review;

/// <summary>
/// The current application's review (moderation): its mode, the queue of media awaiting review and the decisions.
/// Media rows are read and written through <see cref="ApplicationData"/>, so another application's item is not found;
/// deciding needs full access, looking does not.
/// </summary>
public sealed class MediaReview(ApplicationData data, AccessPolicy access, AuditLog audit, UsageRecorder usage, TimeProvider clock)
{
    public const int ReasonMaxLength = 200;
    /// <summary>How many storyboard frames processing draws, at equal intervals over the item's duration.</summary>
    public const int StoryboardFrames = 6;

    /// <summary>
    /// Why the playback domain refuses an item for its review state (403), or null when the item may play; the details
    /// page shows the same text.
    /// </summary>
    public static string? Refusal(ReviewState state, string? reason) => state switch
    {
        ReviewState.Awaiting => "This item is awaiting review, so the playback domain refuses it (HTTP 403) until a reviewer approves it.",
        ReviewState.Blocked => $"This item was blocked in review, so the playback domain refuses it (HTTP 403). Reason: {reason}",
        _ => null,
    };

    /// <summary>The state a new item of the context's application starts in: awaiting review in Manual mode, else approved.</summary>
    internal static async Task<ReviewState> InitialStateAsync(VodDbContext db, CancellationToken ct) =>
        await db.ReviewSettings.AnyAsync(s => s.Mode == ReviewMode.Manual, ct) ? ReviewState.Awaiting : ReviewState.Approved;

    public async Task<ReviewMode> GetModeAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.ReviewSettings.Select(s => s.Mode).SingleOrDefaultAsync(ct);
    }

    /// <summary>Sets the mode for items uploaded from now on; items already there keep their state.</summary>
    public async Task SetModeAsync(ReviewMode mode, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        if (!Enum.IsDefined(mode))
        {
            throw new DomainRuleException("Review is either Off or Manual.", "mode");
        }
        await using var db = await data.OpenAsync(ct);
        var settings = await db.ReviewSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new ReviewSettings { ApplicationId = db.IsolatedApplicationId!.Value };
            db.ReviewSettings.Add(settings);
        }
        var before = settings.Mode;
        settings.Mode = mode;
        settings.ModifiedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.ReviewModeChanged, settings.ApplicationId, "Review mode",
            new { Mode = before.ToString() }, new { Mode = mode.ToString() }, ct);
    }

    /// <summary>The items awaiting review, oldest first.</summary>
    public async Task<IReadOnlyList<ReviewQueueItem>> QueueAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var items = await db.Media.AsNoTracking()
            .Where(m => m.ReviewState == ReviewState.Awaiting)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.Title, m.DurationSeconds, m.StoryboardKeys, m.CreatedAt })
            .ToListAsync(ct);
        return items.Select(m => new ReviewQueueItem(m.Id, m.Title, m.DurationSeconds, m.StoryboardKeys.Count, m.CreatedAt)).ToList();
    }

    /// <summary>The storage key of an item's storyboard frame, or null when there is none.</summary>
    public async Task<string?> StoryboardKeyAsync(long mediaId, int index, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var keys = await db.Media.Where(m => m.Id == mediaId).Select(m => m.StoryboardKeys).SingleOrDefaultAsync(ct);
        return keys is not null && index >= 0 && index < keys.Count ? keys[index] : null;
    }

    public Task ApproveAsync(long mediaId, CancellationToken ct = default) => DecideAsync(mediaId, ReviewState.Approved, null, ct);

    /// <summary>Blocks an item with a reason of 1 to <see cref="ReasonMaxLength"/> characters (one line, no control characters).</summary>
    public Task BlockAsync(long mediaId, string? reason, CancellationToken ct = default) =>
        DecideAsync(mediaId, ReviewState.Blocked,
            TextRules.Required(reason, ReasonMaxLength, "Enter the reason for blocking this item.", "reason", "reason"), ct);

    /// <summary>
    /// Records a decision. The first decision on an item meters its duration as review seconds, once: a later change of
    /// mind (blocking an approved item, approving a blocked one) is audited but not metered again.
    /// </summary>
    private async Task DecideAsync(long mediaId, ReviewState state, string? reason, CancellationToken ct)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var item = await db.Media.SingleOrDefaultAsync(m => m.Id == mediaId, ct)
            ?? throw new ResourceNotFoundException("Media", "Not found: this media item does not exist in this application.");
        if (item.Status is MediaStatus.Uploading or MediaStatus.Processing)
        {
            throw new DomainRuleException($"\"{item.Title}\" is still being processed; decide once its storyboard is ready.");
        }
        if (state == ReviewState.Approved && item.ReviewState == ReviewState.Approved)
        {
            // Nothing to decide (it may never have been subject to review): no audit entry, no review seconds.
            throw new DomainRuleException($"\"{item.Title}\" is already approved.");
        }
        var before = new { ReviewState = item.ReviewState.ToString(), item.ReviewReason };
        var firstDecision = item.ReviewedAt is null;
        var now = clock.GetUtcNow().UtcDateTime;
        item.ReviewState = state;
        item.ReviewReason = reason;
        item.ReviewedAt ??= now;
        item.ModifiedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another reviewer decided (or someone edited the item) meanwhile: nothing is written, nothing metered twice.
            throw new DomainRuleException($"\"{item.Title}\" was changed by someone else meanwhile; reload the queue and decide again.");
        }
        if (firstDecision && item.DurationSeconds is { } seconds)
        {
            await usage.AddAsync(item.ApplicationId, UsageMetric.ReviewSeconds, (long)Math.Ceiling(seconds), ct: ct);
        }
        await audit.RecordAsync(state == ReviewState.Approved ? AuditActions.MediaApproved : AuditActions.MediaBlocked, item.ApplicationId,
            AuditTargets.Media(item.Id, item.Title), before, new { ReviewState = state.ToString(), ReviewReason = reason }, ct);
    }
}
