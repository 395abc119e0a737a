using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Media;

/// <summary>Where a page of the library ends: the next page starts after this item (newest first).</summary>
public sealed record MediaCursor(DateTime CreatedAt, long Id);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, MediaCursor? Next);

/// <summary>
/// The current application's media library. Pages are keysets over (created, id), never OFFSET: a deep page costs the
/// same as the first, and items added meanwhile neither repeat nor hide entries on the following pages.
/// </summary>
public sealed class MediaLibrary(ApplicationData data, IMediaStorage storage, UsageRecorder usage)
{
    public const int MaxPageSize = 100;

    public async Task<MediaPage> PageAsync(MediaStatus? status, MediaCursor? after, int size = 20, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        await using var db = await data.OpenAsync(ct);
        var media = db.Media.AsNoTracking();
        if (status is { } wanted)
        {
            media = media.Where(m => m.Status == wanted);
        }
        if (after is not null)
        {
            media = media.Where(m => m.CreatedAt < after.CreatedAt || (m.CreatedAt == after.CreatedAt && m.Id < after.Id));
        }
        var items = await media.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(size + 1).ToListAsync(ct);
        var hasMore = items.Count > size;
        if (hasMore)
        {
            items.RemoveAt(size);
        }
        return new MediaPage(items, hasMore ? new MediaCursor(items[^1].CreatedAt, items[^1].Id) : null);
    }

    public async Task<MediaItem?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
    }

    /// <summary>Deletes a media item of the current application: its row, its files and its share of the storage figures.</summary>
    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var item = await db.Media.SingleOrDefaultAsync(m => m.Id == id, ct)
            ?? throw NotFound();
        db.Media.Remove(item);
        await db.SaveChangesAsync(ct);

        storage.Delete(item.StorageKey);
        if (item.CoverKey is not null)
        {
            storage.Delete(item.CoverKey);
        }
        await usage.ChangeLevelAsync(item.ApplicationId, UsageMetric.StorageBytes, -item.SizeBytes, ct);
        await usage.ChangeLevelAsync(item.ApplicationId, UsageMetric.MediaCount, -1, ct);
    }

    /// <summary>What every media operation answers for an ID that is missing or belongs to another application.</summary>
    internal static DomainRuleException NotFound() => new("Not found: this media item does not exist.");
}
