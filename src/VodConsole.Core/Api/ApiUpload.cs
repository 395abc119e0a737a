using VodConsole.Core.Common;
using VodConsole.Core.Media;

namespace VodConsole.Core.Api;

/// <summary>
/// Where an upload is: <c>Started</c> (waiting for its file), <c>Receiving</c> (a PUT is streaming it, under a lease),
/// <c>Received</c>, <c>Committing</c>, <c>Committed</c>.
/// </summary>
public enum ApiUploadState { Started, Receiving, Received, Committing, Committed }

/// <summary>
/// An upload through the server API, between its three calls: started (a name and an ID to send the file to), received
/// (the file is stored, not yet a media item), committed (the media item exists). Owned by its application and
/// isolated like media; only the key that started it may send and commit. Unfinished ones are removed after
/// <see cref="ApiUploadService.Lifetime"/>, with their file.
/// </summary>
public sealed class ApiUpload : IApplicationOwned
{
    public const int IdLength = 32;
    public const int FileNameMaxLength = 260;

    /// <summary>Random, 32 hex digits: it appears in URLs and cannot be guessed.</summary>
    public string Id { get; set; } = "";
    public long ApplicationId { get; set; }
    public string FileName { get; set; } = "";
    public string KeyId { get; set; } = "";
    public ApiUploadState State { get; set; }
    public string? StorageKey { get; set; }
    public string? ContentType { get; set; }
    public long SizeBytes { get; set; }
    public long? MediaId { get; set; }

    /// <summary>
    /// Held by the PUT that is receiving the file, in the database so that every server sees it; the PUT renews it
    /// while it streams. A PUT that died (its server crashed) stops renewing, and once it expires the file may be sent again.
    /// </summary>
    public string? ReceiveLeaseId { get; set; }
    public DateTime? ReceiveLeaseExpiresAt { get; set; }
    public MediaItem? Media { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
