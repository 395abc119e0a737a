using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media;

/// <summary>What an operator may change about a media item; tags as typed, comma-separated.</summary>
public sealed record MediaDetailsEdit(string? Title, string? Description, long? CategoryId, string? Tags);

/// <summary>
/// Edits the current application's media: details under optimistic concurrency, and the cover (an uploaded image or a
/// frame of the video). Every change is checked before anything is written, and a failed change leaves no file behind.
/// </summary>
public sealed class MediaEditor(
    ApplicationData data, AccessPolicy access, AuditLog audit, IMediaStorage storage, MediaCovers covers, CallbackEvents callbacks)
{
    public const long CoverMaxBytes = 5_000_000; // decimal, as every size in the console reads
    public const string CoverField = "Cover";

    private static readonly string[] CoverContentTypes = ["image/png", "image/jpeg", "image/webp"];

    /// <summary>Returns the trimmed title, or throws with a message for the operator.</summary>
    public static string ValidTitle(string? title) =>
        TextRules.Required(title, MediaItem.TitleMaxLength, "Enter a title.", "title", nameof(MediaItem.Title));

    /// <summary>Returns the trimmed description (empty when none), or throws with a message for the operator.</summary>
    public static string ValidDescription(string? description) =>
        TextRules.Optional(description, MediaItem.DescriptionMaxLength, "description", nameof(MediaItem.Description));

    /// <summary>Refuses a cover file that is too large before any of it is sent (the upload is counted again as it arrives).</summary>
    public static void CheckCoverSize(long bytes)
    {
        if (bytes > CoverMaxBytes)
        {
            throw CoverTooLarge();
        }
    }

    /// <summary>
    /// Saves title, description, category and tags. <paramref name="expectedVersion"/> is the version the operator saw; a
    /// newer one stored meanwhile raises <see cref="MediaEditConflictException"/> and nothing is written.
    /// </summary>
    public async Task<MediaItem> UpdateDetailsAsync(long mediaId, MediaDetailsEdit edit, long expectedVersion, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var title = ValidTitle(edit.Title);
        var description = ValidDescription(edit.Description);
        var tags = MediaTags.ValidStored(edit.Tags);

        await using var db = await data.OpenAsync(ct);
        // The category check and the save in one transaction, so a category deleted meanwhile cannot be assigned.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var item = await db.Media.SingleOrDefaultAsync(m => m.Id == mediaId, ct) ?? throw MediaLibrary.NotFound();
        if (item.Version != expectedVersion)
        {
            throw new MediaEditConflictException(item);
        }
        // Isolated context: another application's category is not found here, so it can never be assigned.
        if (edit.CategoryId is { } categoryId && !await db.MediaCategories.AnyAsync(c => c.Id == categoryId, ct))
        {
            throw new DomainRuleException("Not found: this category does not exist in this application.", nameof(MediaItem.CategoryId));
        }

        var before = new { item.Title, item.Description, item.CategoryId, item.Tags };
        item.Title = title;
        item.Description = description;
        item.CategoryId = edit.CategoryId;
        item.Tags = tags;
        await AddUpdatedEventAsync(db, item, "Details", ct);
        await SaveOrConflictAsync(db, item, ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.MediaUpdated, item.ApplicationId, AuditTargets.Media(item.Id, item.Title), before,
            new { item.Title, item.Description, item.CategoryId, item.Tags }, ct);
        return item;
    }

    /// <summary>
    /// Replaces the cover with an uploaded PNG, JPEG or WebP image (recognised by its first bytes, at most 5 MB), redrawn
    /// as the console's cover JPEG. The old cover file is deleted once the new one is saved.
    /// </summary>
    public async Task<MediaItem> ReplaceCoverAsync(long mediaId, Stream image, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var item = await FindCoverableAsync(mediaId, ct);
        var upload = await CheckedUploadStream.OpenAsync(image, CoverMaxBytes, CoverTooLarge, ct);
        if (upload.Format is not { } format || !CoverContentTypes.Contains(format.ContentType))
        {
            throw new DomainRuleException("The cover must be a PNG, JPEG or WebP image.", CoverField);
        }

        var source = Path.Combine(Path.GetTempPath(), $"vodconsole-cover-upload-{Guid.NewGuid():N}");
        try
        {
            await using (var file = File.Create(source))
            {
                await upload.CopyToAsync(file, ct);
            }
            var key = await StoreCoverAsync(item.ApplicationId, source, null, "The image could not be read", ct);
            return await SwapCoverAsync(mediaId, key, ct);
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>Replaces a video's cover with its frame at <paramref name="atSeconds"/>, as processing made the first one.</summary>
    public async Task<MediaItem> RegenerateCoverAsync(long mediaId, double atSeconds, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var item = await FindCoverableAsync(mediaId, ct);
        if (MediaContent.KindOf(item.ContentType) != MediaKind.Video || item.Status != MediaStatus.Normal || item.DurationSeconds is not { } duration)
        {
            throw new DomainRuleException("Only a processed video has frames to make a cover from.", CoverField);
        }
        if (!double.IsFinite(atSeconds) || atSeconds < 0 || atSeconds >= duration)
        {
            throw new DomainRuleException(
                $"Choose a second from 0 to {Math.Max(0, Math.Ceiling(duration) - 1):0}: the video is {duration:0.#} seconds long.", CoverField);
        }
        string key;
        using (var copy = await storage.LocalCopyAsync(item.StorageKey, ct) ?? throw new DomainRuleException("The video file is missing.", CoverField))
        {
            key = await StoreCoverAsync(item.ApplicationId, copy.Path, atSeconds, "The frame could not be made", ct);
        }
        return await SwapCoverAsync(mediaId, key, ct);
    }

    /// <summary>The item, if its cover may change now: not while processing, which writes the cover itself.</summary>
    private async Task<MediaItem> FindCoverableAsync(long mediaId, CancellationToken ct)
    {
        await using var db = await data.OpenAsync(ct);
        var item = await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mediaId, ct) ?? throw MediaLibrary.NotFound();
        if (item.Status is MediaStatus.Uploading or MediaStatus.Processing)
        {
            throw new DomainRuleException("This media item is still being processed; change its cover once it is done.", CoverField);
        }
        return item;
    }

    private async Task<string> StoreCoverAsync(long applicationId, string sourcePath, double? atSeconds, string failure, CancellationToken ct)
    {
        try
        {
            return await covers.StoreFrameAsync(applicationId, sourcePath, atSeconds, ct);
        }
        catch (MediaProbeException probe)
        {
            throw new DomainRuleException($"{failure}: {probe.Message}", CoverField);
        }
    }

    /// <summary>Points the item at the new cover; deletes the new file if that fails, and the old one once it succeeded.</summary>
    private async Task<MediaItem> SwapCoverAsync(long mediaId, string coverKey, CancellationToken ct)
    {
        MediaItem item;
        string? oldKey;
        try
        {
            await using var db = await data.OpenAsync(ct);
            item = await db.Media.SingleOrDefaultAsync(m => m.Id == mediaId, ct) ?? throw MediaLibrary.NotFound();
            oldKey = item.CoverKey;
            item.CoverKey = coverKey;
            await AddUpdatedEventAsync(db, item, "Cover", ct);
            await SaveOrConflictAsync(db, item, ct);
        }
        catch
        {
            storage.Delete(coverKey);
            throw;
        }
        if (oldKey is not null)
        {
            storage.Delete(oldKey);
        }
        await audit.RecordAsync(AuditActions.MediaCoverChanged, item.ApplicationId, AuditTargets.Media(item.Id, item.Title),
            new { Cover = oldKey is null ? "none" : "previous" }, new { Cover = "new" }, ct);
        return item;
    }

    /// <summary>The MediaUpdated event, saved with the change; <paramref name="changed"/> says what kind of change it was.</summary>
    private Task AddUpdatedEventAsync(VodDbContext db, MediaItem item, string changed, CancellationToken ct) =>
        callbacks.AddAsync(db, item.ApplicationId, CallbackEventType.MediaUpdated, new
        {
            MediaId = item.Id, Changed = changed, item.Title, item.Description, item.CategoryId,
            Tags = MediaTags.Parse(item.Tags),
        }, ct);

    /// <summary>Saves; a concurrent save between our read and write surfaces as a conflict with the stored values.</summary>
    private async Task SaveOrConflictAsync(VodDbContext db, MediaItem item, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await data.OpenAsync(ct);
            throw new MediaEditConflictException(
                await fresh.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == item.Id, ct) ?? throw MediaLibrary.NotFound());
        }
    }

    private static DomainRuleException CoverTooLarge() =>
        new($"The image is larger than {CoverMaxBytes / 1_000_000} MB, the most a cover may be.", CoverField);
}
