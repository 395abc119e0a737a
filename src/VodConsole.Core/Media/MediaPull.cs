using VodConsole.Core.Instances;

namespace VodConsole.Core.Media;

public enum MediaPullState { Queued, Downloading, Done, Failed }

/// <summary>
/// One URL an application asked the console to fetch into its media library. The table is the queue: a job survives
/// restarts, and <see cref="MediaPuller"/> takes the oldest queued one.
/// </summary>
public sealed class MediaPull : ILeasedJob
{
    public const int UrlMaxLength = 2048;
    public const int FailureReasonMaxLength = 500;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    /// <summary>Absolute http(s) URL as checked by <see cref="MediaPullUrls"/>.</summary>
    public string Url { get; set; } = "";
    /// <summary>The URL's last path segment (or its host): the media's title and original file name.</summary>
    public string FileName { get; set; } = "";
    public MediaPullState State { get; set; }
    public long BytesReceived { get; set; }
    /// <summary>The size the server announced, when it did.</summary>
    public long? TotalBytes { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The media item the pull created; null until done, and again if that media is deleted.</summary>
    public long? MediaId { get; set; }
    public MediaItem? Media { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The instance downloading it (decision 0017); null when queued or finished.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    /// <summary>How many times a puller claimed it; a pull taken over from a dead instance counts again.</summary>
    public int Attempt { get; set; }

    public bool IsActive => State is MediaPullState.Queued or MediaPullState.Downloading;
}
