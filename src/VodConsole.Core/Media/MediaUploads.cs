using System.Buffers.Binary;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Budgets;
using VodConsole.Core.Data;
using VodConsole.Core.Review;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Media;

public enum MediaKind { Video, Audio, Image }

/// <summary>What the first bytes of a file say it is.</summary>
public sealed record MediaFormat(MediaKind Kind, string ContentType);

/// <summary><c>Media:*</c> — upload limits.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";
    public const long DefaultMaxUploadBytes = 2 * UsageUnits.BytesPerGigabyte; // decimal, as every size in the console reads
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;
}

public enum UploadRefusal { UnsupportedType, TooLarge }

/// <summary>An upload the console will not keep; the message is written for the operator.</summary>
public sealed class MediaUploadRefusedException(UploadRefusal reason, string message) : Exception(message)
{
    public UploadRefusal Reason { get; } = reason;
}

/// <summary>
/// Recognises media by its magic bytes, never by the file name: a text file renamed to ".mp4" is still text.
/// </summary>
public static class MediaContent
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at (three MPEG-TS packets).</summary>
    public const int HeaderLength = 3 * TsPacket;

    private const int TsPacket = 188;

    public const string RefusedMessage =
        "This file is not a supported video, audio or image file. Upload video (MP4, MOV, WebM, MKV, AVI, MPEG-TS), "
        + "audio (MP3, WAV, OGG, FLAC, M4A) or images (JPEG, PNG, GIF, WebP).";

    public static MediaFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && Ascii(head, 4, "ftyp"))
        {
            var brand = Encoding.ASCII.GetString(head.Slice(8, 4));
            return brand switch
            {
                "M4A " or "M4B " or "M4P " => new(MediaKind.Audio, "audio/mp4"),
                "qt  " => new(MediaKind.Video, "video/quicktime"),
                _ => new(MediaKind.Video, "video/mp4"),
            };
        }
        if (head.Length >= 12 && Ascii(head, 0, "RIFF"))
        {
            return Encoding.ASCII.GetString(head.Slice(8, 4)) switch
            {
                "AVI " => new(MediaKind.Video, "video/x-msvideo"),
                "WAVE" => new(MediaKind.Audio, "audio/wav"),
                "WEBP" => new(MediaKind.Image, "image/webp"),
                _ => null,
            };
        }
        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) == 0x1A45DFA3)
        {
            return new(MediaKind.Video, head.IndexOf("webm"u8) >= 0 ? "video/webm" : "video/x-matroska");
        }
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return new(MediaKind.Image, "image/jpeg");
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new(MediaKind.Image, "image/png");
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return new(MediaKind.Image, "image/gif");
        }
        if (head.StartsWith("OggS"u8))
        {
            return new(MediaKind.Audio, "audio/ogg");
        }
        if (head.StartsWith("fLaC"u8))
        {
            return new(MediaKind.Audio, "audio/flac");
        }
        if (head.StartsWith("ID3"u8) || IsMpegAudioFrame(head))
        {
            return new(MediaKind.Audio, "audio/mpeg");
        }
        if (IsTransportStream(head))
        {
            return new(MediaKind.Video, "video/mp2t");
        }
        return null;
    }

    /// <summary>The kind of media a stored content type names.</summary>
    public static MediaKind KindOf(string contentType) =>
        contentType.StartsWith("image/", StringComparison.Ordinal) ? MediaKind.Image
        : contentType.StartsWith("audio/", StringComparison.Ordinal) ? MediaKind.Audio
        : MediaKind.Video;

    private static bool Ascii(ReadOnlySpan<byte> head, int offset, string text) =>
        head.Slice(offset, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));

    /// <summary>An MPEG audio frame header: 11 sync bits, a known version and layer, a usable bitrate.</summary>
    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> head) =>
        head.Length >= 3
        && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0
        && (head[1] & 0x18) != 0x08 // version "reserved"
        && (head[1] & 0x06) != 0x00 // layer "reserved"
        && (head[2] & 0xF0) != 0xF0; // bitrate "bad"

    /// <summary>0x47 at the start of three consecutive 188-byte packets (one 'G' alone is just text).</summary>
    private static bool IsTransportStream(ReadOnlySpan<byte> head) =>
        head.Length >= HeaderLength && head[0] == 0x47 && head[TsPacket] == 0x47 && head[2 * TsPacket] == 0x47;
}

/// <summary>
/// Takes an uploaded file: checks what it is from its first bytes, streams it to storage (memory stays flat whatever
/// the size), and records it as a media item waiting for processing. Anything that goes wrong leaves no row and no file.
/// </summary>
public sealed class MediaUploadService(
    ApplicationData data, IMediaStorage storage, UsageRecorder usage, AuditLog audit, AccessPolicy access, MediaProcessingSignal signal,
    CallbackEvents callbacks, CrashPoints crashPoints, TimeProvider clock)
{
    public Task<MediaItem> UploadAsync(long applicationId, string fileName, Stream body, long maxBytes, CancellationToken ct = default) =>
        UploadAsync(applicationId, fileName, body, maxBytes, alongside: null, ct);

    /// <param name="alongside">
    /// A change of the caller's saved in the same transaction as the new item (a pull marks its job done), so the two
    /// cannot disagree after a crash.
    /// </param>
    public async Task<MediaItem> UploadAsync(
        long applicationId, string fileName, Stream body, long maxBytes, Action<VodDbContext, MediaItem>? alongside, CancellationToken ct = default) =>
        await RecordAsync(applicationId, fileName, await StoreAsync(applicationId, body, maxBytes, ct), alongside, ct);

    /// <summary>
    /// The first half of an upload: recognises the file by its first bytes and streams it to storage, counted against
    /// the limit. Nothing is recorded yet; a refused or broken stream leaves no file. The server API keeps the result
    /// between its upload's "send" and "commit".
    /// </summary>
    public async Task<StoredUpload> StoreAsync(long applicationId, Stream body, long maxBytes, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(applicationId, ct);
        await using (var db = await data.OpenForAsync(applicationId, ct))
        {
            await BudgetRules.RefuseIfStoppedAsync(db, applicationId, clock, ct);
        }
        var counted = await CheckedUploadStream.OpenAsync(
            body, maxBytes, () => new MediaUploadRefusedException(UploadRefusal.TooLarge, TooLargeMessage(maxBytes)), ct);
        var format = counted.Format
            ?? throw new MediaUploadRefusedException(UploadRefusal.UnsupportedType, MediaContent.RefusedMessage);
        var key = await storage.SaveAsync(applicationId, counted, ct);
        return new StoredUpload(key, format.ContentType, counted.BytesRead);
    }

    /// <summary>
    /// The second half: makes a stored file a media item waiting for processing, with its roll-ups and audit entry. If
    /// the item cannot be saved, the file is deleted. The file is complete before the row exists, and the row and its
    /// roll-ups commit together: a crash leaves at most a file no row refers to, which the next start removes
    /// (<see cref="MediaFileReconciler"/>).
    /// </summary>
    public async Task<MediaItem> RecordAsync(
        long applicationId, string fileName, StoredUpload stored, Action<VodDbContext, MediaItem>? alongside, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(applicationId, ct);
        MediaItem item;
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            item = new MediaItem
            {
                ApplicationId = applicationId,
                Title = TitleFrom(fileName),
                OriginalFileName = OriginalName(fileName),
                ContentType = stored.ContentType,
                SizeBytes = stored.SizeBytes,
                StorageKey = stored.StorageKey,
                Status = MediaStatus.Processing,
                CreatedAt = now,
                ModifiedAt = now,
            };
            await using var db = await data.OpenForAsync(applicationId, ct);
            // The event names the new item's ID, known only once it is inserted: one transaction holds both.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Decided in the item's own transaction: an item uploaded while review is off is never subject to it.
            item.ReviewState = await MediaReview.InitialStateAsync(db, ct);
            db.Media.Add(item);
            alongside?.Invoke(db, item);
            await db.SaveChangesAsync(ct);
            await callbacks.AddAsync(db, applicationId, CallbackEventType.UploadComplete, new
            {
                MediaId = item.Id, item.Title, FileName = item.OriginalFileName, item.ContentType, item.SizeBytes, Status = item.Status.ToString(),
            }, ct);
            await db.SaveChangesAsync(ct);
            await usage.ChangeLevelAsync(db, applicationId, UsageMetric.StorageBytes, item.SizeBytes, ct);
            await usage.ChangeLevelAsync(db, applicationId, UsageMetric.MediaCount, 1, ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            storage.Delete(stored.StorageKey);
            throw;
        }

        crashPoints.Reach(CrashPoints.UploadCommitted);
        await audit.RecordAsync(AuditActions.MediaUploaded, applicationId, AuditTargets.Media(item.Id, item.Title), null,
            new { item.OriginalFileName, item.ContentType, item.SizeBytes }, CancellationToken.None);
        signal.Notify();
        return item;
    }

    /// <summary>The application's media with these IDs (the upload page follows their processing).</summary>
    public async Task<IReadOnlyList<MediaItem>> FindAsync(long applicationId, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        return await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
    }

    public static string TooLargeMessage(long maxBytes) =>
        $"The file is larger than the upload limit of {UsageUnits.ScaleFor(UsageMetric.StorageBytes, maxBytes).Format(maxBytes)}.";

    /// <summary>Title = the file name without its extension, trimmed, at most 200 characters.</summary>
    public static string TitleFrom(string fileName)
    {
        var title = Path.GetFileNameWithoutExtension(OriginalName(fileName)).Trim();
        if (title.Length == 0)
        {
            title = "Untitled";
        }
        return title.Length <= MediaItem.TitleMaxLength ? title : title[..MediaItem.TitleMaxLength].TrimEnd();
    }

    /// <summary>The last segment of what the browser sent, kept as text only (never a path).</summary>
    private static string OriginalName(string fileName)
    {
        var name = TextRules.Cleaned(fileName).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        return name.Length <= 260 ? name : name[..260];
    }
}

/// <summary>A file in storage, recognised and counted, that is not a media item yet.</summary>
public sealed record StoredUpload(string StorageKey, string ContentType, long SizeBytes);

/// <summary>Wakes the processing worker right after an upload.</summary>
public sealed class MediaProcessingSignal : WorkSignal;
