using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Review;

/// <summary>
/// The current application's review (moderation): its mode, the queue of media awaiting review and the decisions.
/// Media rows are read and written through <see cref="ApplicationData"/>, so another application's item is not found;
/// deciding needs full access, looking does not. Each decision names its reviewer and is sent as a <c>ReviewComplete</c> event.
/// </summary>
public sealed class MediaReview(
    ApplicationData data, AccessPolicy access, AuditLog audit, UsageRecorder usage, CallbackEvents callbacks, TimeProvider clock)
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

    /// <summary>How many decided items the Blocked and Approved lists show: the latest decisions, newest first.</summary>
    public const int DecidedListMax = 100;

    public async Task<ReviewModeSetting> GetModeAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.ReviewSettings.Select(s => new ReviewModeSetting(s.Mode, s.Version)).SingleOrDefaultAsync(ct)
            ?? new ReviewModeSetting(ReviewMode.Off, 0);
    }

    /// <summary>
    /// Sets the mode for items uploaded from now on; items already there keep their state. <paramref name="expectedVersion"/>
    /// is the <see cref="ReviewModeSetting.Version"/> the operator started from: a save made meanwhile raises
    /// <see cref="ReviewConflictException"/> and nothing is written.
    /// </summary>
    public async Task SetModeAsync(ReviewMode mode, long expectedVersion, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        if (!Enum.IsDefined(mode))
        {
            throw new DomainRuleException("Review is either Off or Manual.", "mode");
        }
        await using var db = await data.OpenAsync(ct);
        var settings = await db.ReviewSettings.SingleOrDefaultAsync(ct);
        var adding = settings is null;
        if (settings is null)
        {
            // A new row starts above the 0 of "no settings yet", so two first saves cannot both expect it.
            settings = new ReviewSettings { ApplicationId = db.IsolatedApplicationId!.Value, Version = 1 };
            db.ReviewSettings.Add(settings);
        }
        else if (settings.Version != expectedVersion)
        {
            throw ModeConflict(settings.Mode);
        }
        var before = settings.Mode;
        settings.Mode = mode;
        settings.ModifiedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException failure) when (failure is DbUpdateConcurrencyException || adding)
        {
            // Another save changed the row (the version no longer matched) or added it first.
            throw ModeConflict((await GetModeAsync(ct)).Mode);
        }
        await audit.RecordAsync(AuditActions.ReviewModeChanged, settings.ApplicationId, "Review mode",
            new { Mode = before.ToString() }, new { Mode = mode.ToString() }, ct);
    }

    private static ReviewConflictException ModeConflict(ReviewMode stored) => new(
        $"The review mode was changed by someone else after you opened this page (it is now {stored}). Your change was not saved; look at it again and save if you still want to.");

    /// <summary>The items awaiting review, oldest first.</summary>
    public async Task<IReadOnlyList<ReviewQueueItem>> QueueAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await ListAsync(db.Media.Where(m => m.ReviewState == ReviewState.Awaiting).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id), ct);
    }

    /// <summary>
    /// The latest <see cref="DecidedListMax"/> items a reviewer blocked, or approved, newest decision first (items that
    /// never waited for review are not decisions and are left out).
    /// </summary>
    public async Task<IReadOnlyList<ReviewQueueItem>> DecidedAsync(ReviewState state, CancellationToken ct = default)
    {
        if (state == ReviewState.Awaiting || !Enum.IsDefined(state))
        {
            throw new DomainRuleException("Decided items are either Blocked or Approved.", "state");
        }
        await using var db = await data.OpenAsync(ct);
        return await ListAsync(db.Media
            .Where(m => m.ReviewState == state && m.ReviewedAt != null)
            .OrderByDescending(m => m.ReviewedAt).ThenByDescending(m => m.Id)
            .Take(DecidedListMax), ct);
    }

    private static async Task<IReadOnlyList<ReviewQueueItem>> ListAsync(IQueryable<MediaItem> items, CancellationToken ct)
    {
        var rows = await items.AsNoTracking()
            .Select(m => new { m.Id, m.Title, m.DurationSeconds, m.StoryboardKeys, m.CreatedAt, m.ReviewState, m.ReviewReason, m.ReviewedBy, m.ReviewedAt, m.Version })
            .ToListAsync(ct);
        return rows.Select(m => new ReviewQueueItem(
            m.Id, m.Title, m.DurationSeconds, m.StoryboardKeys.Count, m.CreatedAt, m.ReviewState, m.ReviewReason, m.ReviewedBy, m.ReviewedAt, m.Version)).ToList();
    }

    /// <summary>The storage key of an item's storyboard frame, or null when there is none.</summary>
    public async Task<string?> StoryboardKeyAsync(long mediaId, int index, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var keys = await db.Media.Where(m => m.Id == mediaId).Select(m => m.StoryboardKeys).SingleOrDefaultAsync(ct);
        return keys is not null && index >= 0 && index < keys.Count ? keys[index] : null;
    }

    /// <summary>
    /// Approves an item awaiting review, or unblocks a blocked one: it plays from then on. With
    /// <paramref name="expectedVersion"/> (the item's version the reviewer saw), a decision or edit made meanwhile raises
    /// <see cref="ReviewConflictException"/> naming who decided, and nothing is written.
    /// </summary>
    public Task ApproveAsync(long mediaId, long? expectedVersion = null, CancellationToken ct = default) =>
        DecideAsync(mediaId, ReviewState.Approved, null, expectedVersion, ct);

    /// <summary>
    /// Blocks an item with a reason of 1 to <see cref="ReasonMaxLength"/> characters (one line, no control characters);
    /// <paramref name="expectedVersion"/> as for <see cref="ApproveAsync"/>.
    /// </summary>
    public Task BlockAsync(long mediaId, string? reason, long? expectedVersion = null, CancellationToken ct = default) =>
        DecideAsync(mediaId, ReviewState.Blocked,
            TextRules.Required(reason, ReasonMaxLength, "Enter the reason for blocking this item.", "reason", "reason"), expectedVersion, ct);

    /// <summary>
    /// Records a decision with its reviewer, and its <c>ReviewComplete</c> event in the same save. The first decision on
    /// an item meters its duration as review seconds, once: a later change of mind (blocking an approved item, unblocking
    /// a blocked one) is audited and sent but not metered again.
    /// </summary>
    private async Task DecideAsync(long mediaId, ReviewState state, string? reason, long? expectedVersion, CancellationToken ct)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var item = await db.Media.SingleOrDefaultAsync(m => m.Id == mediaId, ct) ?? throw NotFound();
        if (expectedVersion is { } expected && item.Version != expected)
        {
            throw DecisionConflict(item);
        }
        if (item.Status is MediaStatus.Uploading or MediaStatus.Processing)
        {
            throw new DomainRuleException($"\"{item.Title}\" is still being processed; decide once its storyboard is ready.");
        }
        if (state == ReviewState.Approved && item.ReviewState == ReviewState.Approved)
        {
            // Nothing to decide (it may never have been subject to review): no audit entry, no event, no review seconds.
            throw new DomainRuleException(item.ReviewedBy is { } by
                ? $"\"{item.Title}\" is already approved (by {by}, {Stamp(item.ReviewedAt)})."
                : $"\"{item.Title}\" is already approved.");
        }
        var before = new { ReviewState = item.ReviewState.ToString(), item.ReviewReason };
        var firstDecision = item.ReviewedAt is null;
        var now = clock.GetUtcNow().UtcDateTime;
        item.ReviewState = state;
        item.ReviewReason = reason;
        item.ReviewedAt = now;
        item.ReviewedBy = audit.Actor;
        item.ModifiedAt = now;
        await callbacks.AddAsync(db, item.ApplicationId, CallbackEventType.ReviewComplete, new
        {
            MediaId = item.Id,
            item.Title,
            Decision = state.ToString(),
            PreviousState = before.ReviewState,
            Reason = reason,
            Reviewer = item.ReviewedBy,
            ReviewedAt = now,
        }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another reviewer decided (or someone edited the item) meanwhile: nothing is written, sent or metered twice.
            await using var fresh = await data.OpenAsync(ct);
            throw DecisionConflict(await fresh.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mediaId, ct) ?? throw NotFound());
        }
        if (firstDecision && item.DurationSeconds is { } seconds)
        {
            await usage.AddAsync(item.ApplicationId, UsageMetric.ReviewSeconds, (long)Math.Ceiling(seconds), ct: ct);
        }
        var action = state == ReviewState.Blocked ? AuditActions.MediaBlocked
            : before.ReviewState == nameof(ReviewState.Blocked) ? AuditActions.MediaUnblocked
            : AuditActions.MediaApproved;
        await audit.RecordAsync(action, item.ApplicationId, AuditTargets.Media(item.Id, item.Title), before,
            new { ReviewState = state.ToString(), ReviewReason = reason }, ct);
    }

    /// <summary>What the second of two reviewers is told: who decided first, so they need not guess.</summary>
    private static ReviewConflictException DecisionConflict(MediaItem current) => new(current switch
    {
        { ReviewState: not ReviewState.Awaiting, ReviewedBy: { } by } =>
            $"\"{current.Title}\" was already {(current.ReviewState == ReviewState.Blocked ? "blocked" : "approved")} by {by} ({Stamp(current.ReviewedAt)}) "
            + "after you opened it. Your decision was not saved; look at the item again before deciding.",
        _ => $"\"{current.Title}\" was changed by someone else after you opened it. Your decision was not saved; look at the item again before deciding.",
    });

    private static string Stamp(DateTime? at) =>
        at?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static ResourceNotFoundException NotFound() =>
        new("Media", "Not found: this media item does not exist in this application.");
}
