using VodConsole.Core.Common;

namespace VodConsole.Core.Review;

/// <summary>Whether an application's new media wait for a reviewer (Manual) or are playable once processed (Off).</summary>
public enum ReviewMode { Off, Manual }

/// <summary>
/// A media item's review state, apart from its processing status: only Approved media play. Items uploaded while review
/// is off are Approved from the start.
/// </summary>
public enum ReviewState { Approved, Awaiting, Blocked }

/// <summary>An application's review settings (no row: review is off).</summary>
public sealed class ReviewSettings : IApplicationOwned, IVersioned
{
    public long ApplicationId { get; set; }
    public ReviewMode Mode { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>The review mode with the version a save hands back, so a save over someone else's change is refused.</summary>
/// <param name="Version">0 before the first save.</param>
public sealed record ReviewModeSetting(ReviewMode Mode, long Version);

/// <summary>
/// An item on the Review page: awaiting review, or decided (blocked, approved) with who decided when. <see cref="Version"/>
/// is what a decision hands back, so two reviewers deciding the same item cannot both win.
/// </summary>
/// <param name="StoryboardFrames">The number of storyboard frames the console can show.</param>
public sealed record ReviewQueueItem(
    long MediaId, string Title, double? DurationSeconds, int StoryboardFrames, DateTime CreatedAt,
    ReviewState State, string? Reason, string? ReviewedBy, DateTime? ReviewedAt, long Version);

/// <summary>
/// Someone changed what the caller was deciding on (another reviewer decided, or the review mode was saved) after the
/// caller read it: nothing was written. A domain rule, so pages show its message as any other refusal.
/// </summary>
public sealed class ReviewConflictException(string message) : DomainRuleException(message);
