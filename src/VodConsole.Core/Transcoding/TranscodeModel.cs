using VodConsole.Core.Common;
using VodConsole.Core.Instances;

namespace VodConsole.Core.Transcoding;

/// <summary>What a template produces: an adaptive HLS tree (one master playlist), MP4 files, or AAC audio only.</summary>
public enum TranscodeFormat { Hls, Mp4, Audio }

/// <summary>
/// One output of a template. Video formats use every field; the audio-only format only <see cref="AudioBitrateKbps"/>.
/// Heights above the source's are skipped when a job runs, never upscaled.
/// </summary>
public sealed record TranscodeRendition(int Height, int VideoBitrateKbps, int MaxFrameRate, int AudioBitrateKbps)
{
    /// <summary>The rendition's name in listings and in the output tree ("720p", "audio"): a safe path segment.</summary>
    public string NameFor(TranscodeFormat format) => format == TranscodeFormat.Audio ? "audio" : $"{Height}p";
}

/// <summary>
/// A template as pages and jobs see it: a system preset (negative ID, the same for every application, read-only) or one
/// of the application's own (positive ID).
/// </summary>
public sealed record TranscodeTemplateView(
    long Id, string Name, TranscodeFormat Format, IReadOnlyList<TranscodeRendition> Renditions, long Version, DateTime? ModifiedAt)
{
    public bool IsPreset => Id < 0;
}

/// <summary>An application's own template. Presets are not rows: they live in code (<see cref="TranscodePresets"/>).</summary>
public sealed class TranscodeTemplate : IApplicationOwned, IVersioned
{
    public const int NameMaxLength = 40;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Upper-case name: unique per application, so "Web" and "web" cannot both exist.</summary>
    public string NormalizedName { get; set; } = "";
    public TranscodeFormat Format { get; set; }
    /// <summary>Stored as JSON in one column: a template is always read and written whole.</summary>
    public List<TranscodeRendition> Renditions { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }

    public TranscodeTemplateView ToView() => new(Id, Name, Format, Renditions, Version, ModifiedAt);
}

/// <summary>An application's processing settings: the template every new upload runs through, if any.</summary>
public sealed class TranscodeSettings : IApplicationOwned, IVersioned
{
    public long ApplicationId { get; set; }
    /// <summary>A preset's (negative) or the application's own template's ID; null: new uploads are not transcoded.</summary>
    public long? DefaultTemplateId { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
}

public enum TranscodeJobState { Queued, Running, Done, Failed, Cancelled }

/// <summary>
/// Transcoding one media item with one template. There is one row per media item and template: starting it again, or
/// retrying, queues the same row, and its finished output replaces the previous one (derivatives are idempotent per
/// media and template). The table is the queue; a lease (<see cref="JobLeases"/>) makes sure one runner at a time works on
/// it and that only the runner holding the current attempt can record progress or the result.
/// </summary>
public sealed class TranscodeJob : ILeasedJob
{
    public const int FailureReasonMaxLength = 500;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public long MediaId { get; set; }
    /// <summary>The template it was started with (a preset's negative ID or a custom one's); not a foreign key, so presets fit and a deleted template's outputs stay.</summary>
    public long TemplateId { get; set; }
    /// <summary>The template as it was when the job was queued: an edit or deletion later does not change a queued job.</summary>
    public string TemplateName { get; set; } = "";
    public TranscodeFormat Format { get; set; }
    public List<TranscodeRendition> Renditions { get; set; } = [];
    public TranscodeJobState State { get; set; }
    public int Percent { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>How many times a runner claimed the job; a retry or a lease taken over counts again. Every write of a runner is fenced by it.</summary>
    public int Attempt { get; set; }
    /// <summary>The instance whose runner holds the job; null when no runner does.</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>Until when the lease holds without a heartbeat; after that another runner may take the job over.</summary>
    public DateTime? LeaseUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The storage key of the committed output tree (null until the first success).</summary>
    public string? OutputKey { get; set; }
    /// <summary>The output tree's size, counted in the application's storage figures.</summary>
    public long OutputBytes { get; set; }

    public bool IsActive => State is TranscodeJobState.Queued or TranscodeJobState.Running;
}

public enum DerivativeKind { MasterPlaylist, HlsVariant, Mp4, Audio }

/// <summary>
/// One playable output of a finished job (a rendition, or the HLS master playlist), inside the job's output tree. The
/// rows are replaced together with the tree when the job runs again.
/// </summary>
public sealed class MediaDerivative : IApplicationOwned
{
    public const int RenditionMaxLength = 16;
    public const int PathMaxLength = 64;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public long MediaId { get; set; }
    public long JobId { get; set; }
    /// <summary>"master", "720p", "audio".</summary>
    public string Rendition { get; set; } = "";
    public DerivativeKind Kind { get; set; }
    /// <summary>The playable file within the job's output tree ("master.m3u8", "720p/index.m3u8", "720p.mp4").</summary>
    public string Path { get; set; } = "";
    public int? Width { get; set; }
    public int? Height { get; set; }
    public long? BitrateBps { get; set; }
    /// <summary>Bytes of this output (a variant: its playlist and segments).</summary>
    public long SizeBytes { get; set; }
    public double? DurationSeconds { get; set; }

    /// <summary>The path the file is served at on the playback domain (relative playlists inside it resolve to their neighbours).</summary>
    public string UrlPath =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/play/{ApplicationId}/{MediaId}/outputs/{JobId}/{Path}");
}
