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

/// <summary>An item waiting in the review queue, with the number of storyboard frames the console can show.</summary>
public sealed record ReviewQueueItem(long MediaId, string Title, double? DurationSeconds, int StoryboardFrames, DateTime CreatedAt);
