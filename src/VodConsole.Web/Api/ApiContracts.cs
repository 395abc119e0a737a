using VodConsole.Core.Applications;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;

namespace VodConsole.Web.Api;

// What the server API reads and writes. Property names are the JSON names (PascalCase, as Tencent's and Alibaba's VOD
// APIs write them); times are UTC ISO 8601; sizes in bytes.

/// <summary>An application as account keys see it.</summary>
public sealed record ApiApplication(long SubAppId, string Name, string Description, string Kind, string Status, DateTime CreatedAt)
{
    public static ApiApplication From(Application a) =>
        new(a.Id, a.Name, a.Description, a.Kind.ToString(), a.Status.ToString(), a.CreatedAt);
}

public sealed record ApiApplicationList(IReadOnlyList<ApiApplication> Applications);

/// <summary>A media item of the <c>SubAppId</c> application.</summary>
public sealed record ApiMedia(
    long MediaId, long SubAppId, string Title, string Description, IReadOnlyList<string> Tags, long? CategoryId,
    string Status, string? FailureReason, string OriginalFileName, string ContentType, long SizeBytes, double? DurationSeconds,
    int? Width, int? Height, string? VideoCodec, string? AudioCodec, long? BitrateBps, DateTime CreatedAt, DateTime ModifiedAt,
    long Version, string PlayPath)
{
    public static ApiMedia From(MediaItem m) => new(
        m.Id, m.ApplicationId, m.Title, m.Description, MediaTags.Parse(m.Tags), m.CategoryId, m.Status.ToString(), m.FailureReason,
        m.OriginalFileName, m.ContentType, m.SizeBytes, m.DurationSeconds, m.Width, m.Height, m.VideoCodec, m.AudioCodec,
        m.BitrateBps, m.CreatedAt, m.ModifiedAt, m.Version, PlaybackSettingsService.PlayPath(m.ApplicationId, m.Id));
}

/// <summary>A page of media; <see cref="ContinuationToken"/> asks for the next one (null on the last page).</summary>
public sealed record ApiMediaPage(IReadOnlyList<ApiMedia> Media, string? ContinuationToken);

/// <summary>Up to 20 media IDs.</summary>
public sealed record ApiMediaIds(IReadOnlyList<long>? MediaIds) : IApiRequestBody;

/// <summary>The media found, and the IDs that are not media of this application (missing, or another application's).</summary>
public sealed record ApiMediaBatch(IReadOnlyList<ApiMedia> Media, IReadOnlyList<long> NonExistMediaIds);

/// <summary>
/// A partial update: what is absent (or null) stays as it is. <c>CategoryId</c> 0 makes the item uncategorised; an empty
/// <c>Tags</c> removes every tag. <c>Version</c>, when given, must be the item's current version (else 409).
/// </summary>
public sealed record ApiMediaUpdate(string? Title, string? Description, long? CategoryId, IReadOnlyList<string>? Tags, long? Version) : IApiRequestBody;

/// <summary>Moves up to 20 ready media items to another application the key may change.</summary>
public sealed record ApiMediaMove(IReadOnlyList<long>? MediaIds, long? DestinationSubAppId) : IApiRequestBody;

public sealed record ApiMediaMoved(IReadOnlyList<long> MediaIds, long SubAppId, long DestinationSubAppId);

/// <summary>Starts an upload: the file's name (shown as the title, never used as a path).</summary>
public sealed record ApiUploadStart(string? FileName) : IApiRequestBody;

/// <summary>
/// An upload waiting for its file: PUT the bytes to <see cref="UploadUrl"/> (signed, with the file's SHA-256), then POST
/// <see cref="CommitUrl"/>. Both carry the <c>SubAppId</c> already.
/// </summary>
public sealed record ApiUploadSession(string UploadId, string State, string UploadUrl, string CommitUrl, DateTime ExpiresAt, long? SizeBytes, string? ContentType);

public sealed record ApiUploadCommitted(string UploadId, long MediaId, string Status);

/// <summary>Up to 20 http(s) URLs to pull media from.</summary>
public sealed record ApiPullRequest(IReadOnlyList<string>? Urls) : IApiRequestBody;

public sealed record ApiPull(
    long PullId, string Url, string State, long BytesReceived, long? TotalBytes, string? FailureReason, long? MediaId, DateTime CreatedAt)
{
    public static ApiPull From(MediaPull p) => new(p.Id, p.Url, p.State.ToString(), p.BytesReceived, p.TotalBytes, p.FailureReason, p.MediaId, p.CreatedAt);
}

public sealed record ApiPullList(IReadOnlyList<ApiPull> Pulls);

public sealed record ApiDailyValue(DateOnly Date, long Value);

/// <summary>One metric of the <c>SubAppId</c> application per UTC day, in the metric's base unit.</summary>
public sealed record ApiStatistics(long SubAppId, string Metric, DateOnly From, DateOnly To, string Aggregation, long Summary, IReadOnlyList<ApiDailyValue> Days);

/// <summary>One event of the pull queue: the same envelope a push would POST, as JSON.</summary>
public sealed record ApiCallbackEvent(long EventId, string EventType, DateTime CreatedAt, System.Text.Json.JsonElement Payload);

public sealed record ApiCallbackEventList(IReadOnlyList<ApiCallbackEvent> Events);

public sealed record ApiCallbackAck(IReadOnlyList<long>? EventIds) : IApiRequestBody;

public sealed record ApiCallbackAcknowledged(int Acknowledged);
