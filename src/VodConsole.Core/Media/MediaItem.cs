using VodConsole.Core.Common;
using VodConsole.Core.Instances;
using VodConsole.Core.Review;

namespace VodConsole.Core.Media;

public enum MediaStatus { Uploading, Processing, Normal, Failed }

/// <summary>One uploaded or pulled file of an application, with what processing learned about it.</summary>
public sealed class MediaItem : ILeasedJob, IVersioned
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int CodecMaxLength = 32;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Tags, lower-cased, separated by commas.</summary>
    public string Tags { get; set; } = "";
    public long? CategoryId { get; set; }
    public MediaStatus Status { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The name the file had on the uploader's machine: shown, never used as a path.</summary>
    public string OriginalFileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    /// <summary>Where <see cref="IMediaStorage"/> keeps the file; made by the system, never from user input.</summary>
    public string StorageKey { get; set; } = "";
    public string? CoverKey { get; set; }
    public double? DurationSeconds { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string? VideoCodec { get; set; }
    public string? AudioCodec { get; set; }
    /// <summary>The container's overall bitrate, as ffprobe reports it.</summary>
    public long? BitrateBps { get; set; }
    /// <summary>Apart from <see cref="Status"/>: only an Approved item plays.</summary>
    public ReviewState ReviewState { get; set; }
    /// <summary>Why the item was blocked; null otherwise.</summary>
    public string? ReviewReason { get; set; }
    /// <summary>
    /// When a reviewer last decided; null until the first decision, which alone is metered (a later change of mind is not).
    /// </summary>
    public DateTime? ReviewedAt { get; set; }
    /// <summary>Who last decided: the user's name or the API key (as the audit log names them); null until then.</summary>
    public string? ReviewedBy { get; set; }
    /// <summary>Storyboard frames (JPEG keys in <see cref="IMediaStorage"/>), made once while processing an item awaiting review.</summary>
    public List<string> StoryboardKeys { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
    /// <summary>The instance processing the item (decision 0017); null when nobody is.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    /// <summary>How many times processing was claimed; a processor whose attempt is not the latest saves nothing.</summary>
    public int Attempt { get; set; }
}

/// <summary>An application's own grouping of media; deleting one leaves its media uncategorised.</summary>
public sealed class MediaCategory : IApplicationOwned
{
    public const int NameMaxLength = 60;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public string Name { get; set; } = "";
}
