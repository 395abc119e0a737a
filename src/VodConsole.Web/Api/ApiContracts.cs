using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Api;

// What the server API reads and writes. Property names are the JSON names (PascalCase, as Tencent's and Alibaba's VOD
// APIs write them); times are UTC ISO 8601; sizes in bytes; enums are written by name. The <param> texts below are the
// field descriptions of the OpenAPI document (docs/api.md says the same in its "Objects" section).

/// <summary>An application as account keys see it.</summary>
/// <param name="SubAppId">The application's ID: the SubAppId to send.</param>
/// <param name="Name">Its name, unique in the account.</param>
/// <param name="Description">Its description; empty when none.</param>
/// <param name="Kind">Primary (the one every account has) or Sub.</param>
/// <param name="Status">Enabled, or Disabled (by an administrator, or while the account is suspended): its media is managed as usual but does not play.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record ApiApplication(long SubAppId, string Name, string Description, ApplicationKind Kind, ApplicationStatus Status, DateTime CreatedAt)
{
    public static ApiApplication From(Application a) => new(a.Id, a.Name, a.Description, a.Kind, a.Status, a.CreatedAt);
}

/// <summary>The account's applications, the primary one first.</summary>
/// <param name="Applications">Every application of the account.</param>
public sealed record ApiApplicationList(IReadOnlyList<ApiApplication> Applications);

/// <summary>A media item of the <c>SubAppId</c> application.</summary>
/// <param name="MediaId">The item's ID.</param>
/// <param name="SubAppId">The application it belongs to.</param>
/// <param name="Title">Its title (at first the uploaded file's name without its extension).</param>
/// <param name="Description">Its description; empty when none.</param>
/// <param name="Tags">Its tags, in order; empty when none.</param>
/// <param name="CategoryId">Its category in the application, or null when uncategorised.</param>
/// <param name="Status">Uploading (the file is arriving), Processing (being probed), Normal (ready; playable once ReviewState is Approved) or Failed (see FailureReason).</param>
/// <param name="FailureReason">Why processing failed; null unless Status is Failed.</param>
/// <param name="ReviewState">Approved (plays), Awaiting (review is Manual and no one has decided yet) or Blocked (see ReviewReason); only Approved media play, else 403.</param>
/// <param name="ReviewReason">Why a reviewer blocked it; null unless ReviewState is Blocked.</param>
/// <param name="ReviewedBy">Who made the latest review decision (a user's name, or "API key {KeyId}"); null before any.</param>
/// <param name="ReviewedAt">When the latest review decision was made (UTC); null before any (and for items uploaded while review was Off).</param>
/// <param name="OriginalFileName">The name the file was uploaded or pulled with.</param>
/// <param name="ContentType">The file's media type, recognised from its first bytes (video/mp4, audio/mpeg, image/png, …).</param>
/// <param name="SizeBytes">The file's size in bytes.</param>
/// <param name="DurationSeconds">Its duration in seconds; null for images and before processing.</param>
/// <param name="Width">Its width in pixels; null for audio and before processing.</param>
/// <param name="Height">Its height in pixels; null for audio and before processing.</param>
/// <param name="VideoCodec">The video codec (h264, …); null when there is no video stream.</param>
/// <param name="AudioCodec">The audio codec (aac, …); null when there is no audio stream.</param>
/// <param name="BitrateBps">The overall bitrate in bits per second; null when unknown.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="ModifiedAt">When its details last changed (UTC).</param>
/// <param name="Version">Changes with every edit; send it back as Version in an update to detect concurrent changes.</param>
/// <param name="PlayPath">Where the playback domain serves it (/play/{SubAppId}/{MediaId}), relative to the console's address; with URL signing on, add t and sign.</param>
public sealed record ApiMedia(
    long MediaId, long SubAppId, string Title, string Description, IReadOnlyList<string> Tags, long? CategoryId,
    MediaStatus Status, string? FailureReason, ReviewState ReviewState, string? ReviewReason, string? ReviewedBy, DateTime? ReviewedAt, string OriginalFileName, string ContentType, long SizeBytes, double? DurationSeconds,
    int? Width, int? Height, string? VideoCodec, string? AudioCodec, long? BitrateBps, DateTime CreatedAt, DateTime ModifiedAt,
    long Version, string PlayPath)
{
    public static ApiMedia From(MediaItem m) => new(
        m.Id, m.ApplicationId, m.Title, m.Description, MediaTags.Parse(m.Tags), m.CategoryId, m.Status, m.FailureReason, m.ReviewState, m.ReviewReason, m.ReviewedBy, m.ReviewedAt,
        m.OriginalFileName, m.ContentType, m.SizeBytes, m.DurationSeconds, m.Width, m.Height, m.VideoCodec, m.AudioCodec,
        m.BitrateBps, m.CreatedAt, m.ModifiedAt, m.Version, PlaybackSettingsService.PlayPath(m.ApplicationId, m.Id));
}

/// <summary>A page of media.</summary>
/// <param name="Media">The page's items, in the order asked for.</param>
/// <param name="ContinuationToken">Send it (with the same query) for the next page; null on the last page.</param>
public sealed record ApiMediaPage(IReadOnlyList<ApiMedia> Media, string? ContinuationToken);

/// <summary>A page of a search across applications.</summary>
/// <param name="Media">The page's items, best match first; each names its application in SubAppId.</param>
/// <param name="SubAppIds">The applications searched: every one the key may use, or those SubAppIds named.</param>
/// <param name="ContinuationToken">Send it (with the same Text and SubAppIds) for the next page; null on the last page.</param>
public sealed record ApiMediaSearchPage(IReadOnlyList<ApiMedia> Media, IReadOnlyList<long> SubAppIds, string? ContinuationToken);

/// <summary>Media IDs to get.</summary>
/// <param name="MediaIds">1 to 20 media IDs (repeats count once).</param>
public sealed record ApiMediaIds(IReadOnlyList<long>? MediaIds) : IApiRequestBody;

/// <summary>The media found, and the IDs that are not media of this application.</summary>
/// <param name="Media">The items found, in the order their IDs were given.</param>
/// <param name="NonExistMediaIds">The IDs that are not media of this application (missing, deleted, or another application's).</param>
public sealed record ApiMediaBatch(IReadOnlyList<ApiMedia> Media, IReadOnlyList<long> NonExistMediaIds);

/// <summary>A partial update: what is absent (or null) stays as it is.</summary>
/// <param name="Title">The new title: 1 to 200 characters.</param>
/// <param name="Description">The new description: at most 2,000 characters; empty clears it.</param>
/// <param name="CategoryId">A category of the application; 0 makes the item uncategorised.</param>
/// <param name="Tags">The new tags (replacing all), each without a comma; [] removes every tag.</param>
/// <param name="Version">When given, the item's current version: the update is refused with 409 if it changed meanwhile.</param>
public sealed record ApiMediaUpdate(string? Title, string? Description, long? CategoryId, IReadOnlyList<string>? Tags, long? Version) : IApiRequestBody;

/// <summary>Media to move to another application the key may change.</summary>
/// <param name="MediaIds">1 to 20 media IDs of the SubAppId application; none may be Uploading or Processing.</param>
/// <param name="DestinationSubAppId">The enabled application to move them to.</param>
public sealed record ApiMediaMove(IReadOnlyList<long>? MediaIds, long? DestinationSubAppId) : IApiRequestBody;

/// <summary>The media moved.</summary>
/// <param name="MediaIds">The IDs moved (they keep their IDs).</param>
/// <param name="SubAppId">The application they left.</param>
/// <param name="DestinationSubAppId">The application they are in now (uncategorised there).</param>
public sealed record ApiMediaMoved(IReadOnlyList<long> MediaIds, long SubAppId, long DestinationSubAppId);

/// <summary>Starts an upload.</summary>
/// <param name="FileName">The file's name, 1 to 260 characters: its title to be; never used as a path.</param>
public sealed record ApiUploadStart(string? FileName) : IApiRequestBody;

/// <summary>An upload between its calls: PUT the file to UploadUrl, then POST CommitUrl.</summary>
/// <param name="UploadId">The upload's ID (32 hex digits).</param>
/// <param name="State">Started (waiting for the file), Receiving (a PUT is sending it), Received (ready to commit), Committing or Committed.</param>
/// <param name="UploadUrl">Where to PUT the file (path and query, SubAppId included), signed with the file's SHA-256.</param>
/// <param name="CommitUrl">Where to POST to make the file a media item.</param>
/// <param name="ExpiresAt">When an uncommitted upload is deleted, with its file (24 hours after its start, UTC).</param>
/// <param name="SizeBytes">The received file's size; null until it is received.</param>
/// <param name="ContentType">The received file's media type; null until it is received.</param>
public sealed record ApiUploadSession(
    string UploadId, ApiUploadState State, string UploadUrl, string CommitUrl, DateTime ExpiresAt, long? SizeBytes, string? ContentType);

/// <summary>A committed upload.</summary>
/// <param name="UploadId">The upload.</param>
/// <param name="MediaId">The media item it made.</param>
/// <param name="Status">The item's status now: Processing at first, then Normal or Failed.</param>
public sealed record ApiUploadCommitted(string UploadId, long MediaId, MediaStatus Status);

/// <summary>URLs to pull media from.</summary>
/// <param name="Urls">1 to 20 http(s) URLs, each at most 2,048 characters.</param>
public sealed record ApiPullRequest(IReadOnlyList<string>? Urls) : IApiRequestBody;

/// <summary>A pull job: a media file fetched from a URL into the application.</summary>
/// <param name="PullId">The job's ID.</param>
/// <param name="Url">The URL it pulls.</param>
/// <param name="State">Queued, Downloading, Done (MediaId is the new item) or Failed (see FailureReason).</param>
/// <param name="BytesReceived">Bytes downloaded so far.</param>
/// <param name="TotalBytes">The file's size when the server announced it; null otherwise.</param>
/// <param name="FailureReason">Why it failed; null unless State is Failed.</param>
/// <param name="MediaId">The media item made from the file; null until Done.</param>
/// <param name="CreatedAt">When it was queued (UTC).</param>
public sealed record ApiPull(
    long PullId, string Url, MediaPullState State, long BytesReceived, long? TotalBytes, string? FailureReason, long? MediaId, DateTime CreatedAt)
{
    public static ApiPull From(MediaPull p) => new(p.Id, p.Url, p.State, p.BytesReceived, p.TotalBytes, p.FailureReason, p.MediaId, p.CreatedAt);
}

/// <summary>Pull jobs, newest first.</summary>
/// <param name="Pulls">The jobs.</param>
public sealed record ApiPullList(IReadOnlyList<ApiPull> Pulls);

/// <summary>A metric's value on one UTC day.</summary>
/// <param name="Date">The UTC day (yyyy-MM-dd).</param>
/// <param name="Value">The value, in the metric's base unit (bytes, items, bits per second, seconds or plays).</param>
public sealed record ApiDailyValue(DateOnly Date, long Value);

/// <summary>One metric of the <c>SubAppId</c> application per UTC day.</summary>
/// <param name="SubAppId">The application.</param>
/// <param name="Metric">StorageBytes, MediaCount, TrafficBytes, PeakBandwidthBps, TranscodeSeconds, ReviewSeconds, Plays, or a transcoding tier: TranscodeSecondsSd, TranscodeSecondsHd, TranscodeSecondsFhd, TranscodeSeconds2K, TranscodeSeconds4K, TranscodeSecondsAudio.</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Aggregation">How Summary combines the days: Level (the last day's value: storage, media count), Sum, or Peak (the highest day).</param>
/// <param name="Summary">The days combined as Aggregation says.</param>
/// <param name="Days">One value per day from From to To, zero where nothing was recorded.</param>
public sealed record ApiStatistics(
    long SubAppId, UsageMetric Metric, DateOnly From, DateOnly To, UsageAggregation Aggregation, long Summary, IReadOnlyList<ApiDailyValue> Days);

/// <summary>One event of the pull queue.</summary>
/// <param name="EventId">The event's ID: acknowledge it with this.</param>
/// <param name="EventType">What happened: UploadComplete, MediaProcessed, MediaUpdated, MediaDeleted, MediaMoved, ApplicationDisabled, ApplicationEnabled, TranscodeComplete, ReviewComplete or Test.</param>
/// <param name="CreatedAt">When it happened (UTC).</param>
/// <param name="Payload">The envelope a push would POST (docs/callbacks.md), as JSON.</param>
public sealed record ApiCallbackEvent(long EventId, CallbackEventType EventType, DateTime CreatedAt, System.Text.Json.JsonElement Payload);

/// <summary>Unacknowledged events, oldest first.</summary>
/// <param name="Events">The events.</param>
public sealed record ApiCallbackEventList(IReadOnlyList<ApiCallbackEvent> Events);

/// <summary>Events handled.</summary>
/// <param name="EventIds">At most 100 event IDs; unknown, another application's or already acknowledged IDs are skipped.</param>
public sealed record ApiCallbackAck(IReadOnlyList<long>? EventIds) : IApiRequestBody;

/// <summary>How many events left the queue.</summary>
/// <param name="Acknowledged">The number of events acknowledged by this call.</param>
public sealed record ApiCallbackAcknowledged(int Acknowledged);

/// <summary>One output of a template.</summary>
/// <param name="Height">Lines of the video, 144 to 2160 (its width follows the source's aspect ratio); renditions above the source's height are skipped. 0 for audio only.</param>
/// <param name="VideoBitrateKbps">Video bitrate in kbit/s; 0 for audio only.</param>
/// <param name="MaxFrameRate">The highest frame rate kept (a faster source is reduced); 0 for audio only.</param>
/// <param name="AudioBitrateKbps">Audio bitrate in kbit/s.</param>
public sealed record ApiTranscodeRendition(int Height, int VideoBitrateKbps, int MaxFrameRate, int AudioBitrateKbps)
{
    public static ApiTranscodeRendition From(TranscodeRendition r) => new(r.Height, r.VideoBitrateKbps, r.MaxFrameRate, r.AudioBitrateKbps);
}

/// <summary>A transcoding template: a system preset (negative TemplateId, read-only, the same in every application) or one of the application's own.</summary>
/// <param name="TemplateId">The template's ID; negative for a preset.</param>
/// <param name="Name">Its name, unique in the application.</param>
/// <param name="Format">Hls (an adaptive tree with a master playlist), Mp4 (one file per rendition) or Audio (AAC only).</param>
/// <param name="Renditions">Its outputs, 1 to 6.</param>
/// <param name="IsPreset">True for a system preset, which cannot be changed or deleted.</param>
/// <param name="Version">Changes with every edit; send it back as Version in an update to detect concurrent changes. 0 for presets.</param>
/// <param name="ModifiedAt">When it last changed (UTC); null for presets.</param>
public sealed record ApiTranscodeTemplate(
    long TemplateId, string Name, TranscodeFormat Format, IReadOnlyList<ApiTranscodeRendition> Renditions, bool IsPreset, long Version, DateTime? ModifiedAt)
{
    public static ApiTranscodeTemplate From(TranscodeTemplateView t) =>
        new(t.Id, t.Name, t.Format, t.Renditions.Select(ApiTranscodeRendition.From).ToList(), t.IsPreset, t.Version, t.ModifiedAt);
}

/// <summary>The presets and the application's templates.</summary>
/// <param name="Templates">The presets first, then the application's own templates.</param>
public sealed record ApiTranscodeTemplateList(IReadOnlyList<ApiTranscodeTemplate> Templates);

/// <summary>A template to create, or what replaces one.</summary>
/// <param name="Name">1 to 40 characters, unique in the application (case-insensitive).</param>
/// <param name="Format">Hls or Mp4; audio only is the preset's.</param>
/// <param name="Renditions">1 to 6 renditions.</param>
/// <param name="Version">For an update: the Version read; a change made meanwhile then answers 409. Ignored on create.</param>
public sealed record ApiTranscodeTemplateEdit(string? Name, string? Format, IReadOnlyList<ApiTranscodeRendition>? Renditions, long? Version) : IApiRequestBody
{
    public TranscodeTemplateEdit ToEdit() => new(
        Name,
        ApiParameters.Enum<TranscodeFormat>(Format, nameof(Format)) ?? throw ApiErrors.Invalid(nameof(Format), "Give the Format: Hls or Mp4."),
        (Renditions ?? []).Select(r => new TranscodeRendition(r.Height, r.VideoBitrateKbps, r.MaxFrameRate, r.AudioBitrateKbps)).ToList());
}

/// <summary>Which template to transcode a media item with.</summary>
/// <param name="TemplateId">A preset's (negative) or one of the application's templates' ID.</param>
public sealed record ApiTranscodeStart(long? TemplateId) : IApiRequestBody;

/// <summary>A playable output of a finished job.</summary>
/// <param name="Rendition">master (the HLS master playlist), 720p, … or audio.</param>
/// <param name="Kind">MasterPlaylist, HlsVariant, Mp4 or Audio.</param>
/// <param name="Width">Width in pixels; null for the master playlist and audio.</param>
/// <param name="Height">Height in pixels; null for the master playlist and audio.</param>
/// <param name="BitrateBps">Bitrate in bits per second; null for the master playlist.</param>
/// <param name="SizeBytes">Bytes of this output (an HLS variant: its playlist and segments).</param>
/// <param name="DurationSeconds">Its duration in seconds; null for the master playlist.</param>
/// <param name="UrlPath">Where the playback domain serves it, relative to the console's address, under the application's playback rules like PlayPath.</param>
public sealed record ApiDerivativeFile(
    string Rendition, DerivativeKind Kind, int? Width, int? Height, long? BitrateBps, long SizeBytes, double? DurationSeconds, string UrlPath)
{
    public static ApiDerivativeFile From(MediaDerivative d) =>
        new(d.Rendition, d.Kind, d.Width, d.Height, d.BitrateBps, d.SizeBytes, d.DurationSeconds, d.UrlPath);
}

/// <summary>A media item's transcoding with one template.</summary>
/// <param name="JobId">The job's ID (one per media item and template; starting it again re-runs the same job).</param>
/// <param name="MediaId">The media item.</param>
/// <param name="TemplateId">The template it was started with.</param>
/// <param name="TemplateName">The template's name when the job was queued.</param>
/// <param name="State">Queued, Running, Done, Failed or Cancelled.</param>
/// <param name="Percent">Progress, 0 to 100.</param>
/// <param name="FailureReason">Why it failed; null unless State is Failed.</param>
/// <param name="Attempt">How many times a runner took it (re-runs and retries count).</param>
/// <param name="CreatedAt">When it was first queued (UTC).</param>
/// <param name="StartedAt">When its latest run started (UTC); null before.</param>
/// <param name="FinishedAt">When its latest run ended (UTC); null while it runs.</param>
/// <param name="Files">The files of its latest successful run; empty before one.</param>
public sealed record ApiTranscodeJob(
    long JobId, long MediaId, long TemplateId, string TemplateName, TranscodeJobState State, int Percent, string? FailureReason,
    int Attempt, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, IReadOnlyList<ApiDerivativeFile> Files)
{
    public static ApiTranscodeJob From(MediaTranscoding t) => new(
        t.Job.Id, t.Job.MediaId, t.Job.TemplateId, t.Job.TemplateName, t.Job.State, t.Job.Percent, t.Job.FailureReason,
        t.Job.Attempt, t.Job.CreatedAt, t.Job.StartedAt, t.Job.FinishedAt, t.Derivatives.Select(ApiDerivativeFile.From).ToList());
}

/// <summary>A media item's transcoding jobs.</summary>
/// <param name="Jobs">Newest first.</param>
public sealed record ApiTranscodeJobList(IReadOnlyList<ApiTranscodeJob> Jobs);

/// <summary>Approves (or unblocks) a media item; the body may be left out.</summary>
/// <param name="Version">When given, the item's current version: the decision is refused with 409 if it was decided or edited meanwhile.</param>
public sealed record ApiReviewApprove(long? Version) : IApiRequestBody;

/// <summary>Blocks a media item.</summary>
/// <param name="Reason">Why: 1 to 200 characters on one line. Shown in the console and the API, and sent in the ReviewComplete event.</param>
/// <param name="Version">When given, the item's current version: the decision is refused with 409 if it was decided or edited meanwhile.</param>
public sealed record ApiReviewBlock(string? Reason, long? Version) : IApiRequestBody;
