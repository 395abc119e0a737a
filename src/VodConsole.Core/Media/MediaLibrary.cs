using VodConsole.Core.Access;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Media;

/// <summary>
/// The current application's media library. Pages are keysets over the sort key and the ID, never OFFSET: a deep page
/// costs the same as the first, and items added meanwhile neither repeat nor hide entries on the following pages.
/// </summary>
public sealed class MediaLibrary(
    ApplicationData data, AccessPolicy access, AuditLog audit, IMediaSearchIndex searchIndex, IMediaStorage storage, UsageRecorder usage,
    CallbackEvents callbacks, CrashPoints crashPoints)
{
    public const int MaxPageSize = 100;

    public async Task<MediaPage> PageAsync(MediaQuery query, MediaCursor? after, int size = 20, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        var terms = MediaSearchTerms.From(query.Text, query.Tag);
        var sort = query.Sort == MediaSort.Relevance && terms.Words.Count == 0 ? MediaSort.Newest : query.Sort;
        if (after is not null && after.Sort != sort)
        {
            after = null;
        }

        await using var db = await data.OpenAsync(ct);
        var applicationId = db.IsolatedApplicationId!.Value;
        if (!terms.IsEmpty)
        {
            // Rows changed outside the console (the sqlite3 shell) are found from the first search after the change.
            await searchIndex.CatchUpAsync(db, ct);
        }
        var media = Filtered(db.Media.AsNoTracking(), query);
        // Without a search, the isolation filter alone reads "@systemWide OR ApplicationId = @id", which SQLite cannot
        // answer from an index (it scanned all 1,000,000 rows of the benchmark): naming the application again as a plain
        // equality lets the (ApplicationId, sort key, Id) indexes find the rows and deliver them in order. With a search of
        // a rare word the full-text index drives instead (it narrows by the application itself); a common word is walked
        // in order, each row checked against the index as the engine does it best (IMediaSearchIndex.Matching).
        IQueryable<RankedMedia> ranked;
        if (terms.IsEmpty)
        {
            ranked = media.Where(m => m.ApplicationId == applicationId).Select(m => new RankedMedia { Media = m, Rank = 0 });
        }
        else if (sort != MediaSort.Relevance && await IsCommonAsync(db, applicationId, terms, ct))
        {
            // A common word in another order than relevance: the application's media are walked in that order (its index)
            // and each is checked against the index until the page is full. Joining the hits instead reads and sorts every
            // one of them (3,842 for "trailer" in the benchmark: 21 ms against 0.9 ms on SQLite, 11 against 0.5 on PostgreSQL).
            ranked = Filtered(searchIndex.Matching(db, applicationId, terms).AsNoTracking(), query)
                .Where(m => m.ApplicationId == applicationId)
                .Select(m => new RankedMedia { Media = m, Rank = 0 });
        }
        else
        {
            ranked = from m in media
                     join hit in Hits(db, applicationId, terms, query, sort, after, size) on m.Id equals hit.MediaId
                     select new RankedMedia { Media = m, Rank = hit.Rank };
        }

        // Two steps: the page's IDs in order (narrow rows, so sorting a few thousand search hits stays cheap, and the
        // relevance is computed only when it is the order), then those items in full by primary key.
        var keys = await Keys(Ordered(After(ranked, after), sort), sort).Take(size + 1).ToListAsync(ct);
        var hasMore = keys.Count > size;
        if (hasMore)
        {
            keys.RemoveAt(size);
        }
        var ids = keys.Select(k => k.Id).ToList();
        var items = await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        // An item deleted between the two steps is left out; the cursor still continues after its place.
        var rows = keys.Where(k => items.ContainsKey(k.Id)).Select(k => items[k.Id]).ToList();
        var next = hasMore && keys.LastOrDefault() is { } last
            ? new MediaCursor(sort, last.Id, last.CreatedAt, last.Title, last.SizeBytes, last.Rank)
            : null;
        return new MediaPage(rows, next);
    }

    private sealed record PageKey(long Id, DateTime CreatedAt, string Title, long SizeBytes, double Rank);

    /// <summary>
    /// Only the ID and the sort's own key, which the (ApplicationId, key, Id) indexes hold: PostgreSQL then answers a
    /// search sorted by date from the index alone (its heap visited for none of a common word's 3,842 hits: 22 to 13 ms
    /// in the benchmark), and SQLite's covering indexes serve the pages as before.
    /// </summary>
    private static IQueryable<PageKey> Keys(IQueryable<RankedMedia> rows, MediaSort sort) => sort switch
    {
        MediaSort.Title => rows.Select(r => new PageKey(r.Media.Id, default, r.Media.Title, 0, 0)),
        MediaSort.Largest => rows.Select(r => new PageKey(r.Media.Id, default, "", r.Media.SizeBytes, 0)),
        MediaSort.Relevance => rows.Select(r => new PageKey(r.Media.Id, default, "", 0, r.Rank)),
        _ => rows.Select(r => new PageKey(r.Media.Id, r.Media.CreatedAt, "", 0, 0)),
    };

    /// <summary>
    /// The search's hits. In the relevance order the keyset applies to them (the rank is the hit's), and when nothing
    /// but words narrows the result the index alone decides the page: only its rows are joined to the media table, not
    /// every hit (3,842 lookups for a common word in the benchmark, about half of the search's time).
    /// </summary>
    private IQueryable<MediaSearchHit> Hits(
        VodDbContext db, long applicationId, MediaSearchTerms terms, MediaQuery query, MediaSort sort, MediaCursor? after, int size)
    {
        var hits = searchIndex.Search(db, [applicationId], terms);
        if (sort != MediaSort.Relevance)
        {
            return hits;
        }
        if (after is not null)
        {
            hits = hits.Where(h => h.Rank > after.Rank || (h.Rank == after.Rank && h.MediaId > after.Id));
        }
        return HasFilters(query) ? hits : hits.OrderBy(h => h.Rank).ThenBy(h => h.MediaId).Take(size + 1);
    }

    /// <summary>
    /// Above this many hits a search walks the application's media in the page's order and checks each against the hits;
    /// at or below it the hits are joined and sorted. For a rare word the walk would cover the whole application
    /// (24 hits in 19,840 media: 1.3 ms walking, 0.35 ms joining), for a common one the join sorts thousands.
    /// </summary>
    internal const int CommonSearchHits = 500;

    private async Task<bool> IsCommonAsync(VodDbContext db, long applicationId, MediaSearchTerms terms, CancellationToken ct) =>
        await searchIndex.Search(db, [applicationId], terms).Take(CommonSearchHits + 1).CountAsync(ct) > CommonSearchHits;

    public async Task<MediaItem?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
    }

    /// <summary>The current application's media among these IDs; another application's are simply not among them.</summary>
    public async Task<IReadOnlyList<MediaItem>> FindManyAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
    }

    /// <summary>Deletes a media item of the current application: its row, its files and its share of the storage figures.</summary>
    public Task DeleteAsync(long id, CancellationToken ct = default) => DeleteAsync([id], ct);

    /// <summary>
    /// Deletes up to <see cref="MediaSelection.MaxItems"/> media items of the current application, all or none. The rows,
    /// their roll-ups and events commit together, and only then are the files removed: a crash in between leaves files no
    /// row refers to, which the next start removes, never a row without its file.
    /// </summary>
    public async Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var applicationId = db.IsolatedApplicationId!.Value;
        // One transaction: a transcoding job cannot commit new derivative files between reading them and the delete.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var items = await MediaSelection.LoadAsync(db, ids, ct);
        var outputs = await TranscodeOutputs.OfAsync(db, items.Select(m => m.Id).ToList(), ct);
        db.Media.RemoveRange(items); // their transcoding jobs and derivative rows go with them (foreign keys cascade)
        foreach (var item in items)
        {
            await callbacks.AddAsync(db, item.ApplicationId, CallbackEventType.MediaDeleted,
                new { MediaId = item.Id, item.Title, FileName = item.OriginalFileName, item.SizeBytes }, ct);
        }
        await db.SaveChangesAsync(ct);
        await usage.ChangeLevelAsync(db, applicationId, UsageMetric.StorageBytes, -items.Sum(m => m.SizeBytes) - outputs.Sum(o => o.Bytes), ct);
        await usage.ChangeLevelAsync(db, applicationId, UsageMetric.MediaCount, -items.Count, ct);
        await transaction.CommitAsync(ct);
        crashPoints.Reach(CrashPoints.DeleteCommitted);

        foreach (var item in items)
        {
            storage.Delete(item.StorageKey);
            if (item.CoverKey is not null)
            {
                storage.Delete(item.CoverKey);
            }
            item.StoryboardKeys.ForEach(storage.Delete);
        }
        foreach (var output in outputs)
        {
            storage.Delete(output.Key);
        }
        foreach (var item in items)
        {
            await audit.RecordAsync(AuditActions.MediaDeleted, applicationId, AuditTargets.Media(item.Id, item.Title),
                new { item.Title, item.SizeBytes, item.OriginalFileName }, null, ct);
        }
    }

    /// <summary>Puts the selected media into one of the application's categories, or none (null).</summary>
    public async Task SetCategoryAsync(IReadOnlyCollection<long> ids, long? categoryId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        if (categoryId is { } id && !await db.MediaCategories.AnyAsync(c => c.Id == id, ct))
        {
            throw new DomainRuleException("Not found: this category does not exist in this application.", "category");
        }
        var items = await MediaSelection.LoadAsync(db, ids, ct);
        var before = items.ToDictionary(m => m.Id, m => m.CategoryId);
        foreach (var item in items)
        {
            item.CategoryId = categoryId;
        }
        await db.SaveChangesAsync(ct);
        foreach (var item in items)
        {
            await audit.RecordAsync(AuditActions.MediaCategorised, item.ApplicationId, AuditTargets.Media(item.Id, item.Title),
                new { CategoryId = before[item.Id] }, new { CategoryId = categoryId }, ct);
        }
    }

    /// <summary>What a single-item operation answers for an ID that is missing or belongs to another application.</summary>
    internal static ResourceNotFoundException NotFound() => new("Media", "Not found: this media item does not exist.");

    private sealed class RankedMedia
    {
        public required MediaItem Media { get; init; }
        public double Rank { get; init; }
    }

    private static bool HasFilters(MediaQuery query) => query.Status is not null || query.Category is not null || ExactTag(query) is not null;

    private static string? ExactTag(MediaQuery query) => MediaTags.Normalize(query.Tag ?? "").FirstOrDefault();

    private static IQueryable<MediaItem> Filtered(IQueryable<MediaItem> media, MediaQuery query)
    {
        if (query.Status is { } status)
        {
            media = media.Where(m => m.Status == status);
        }
        if (query.Category is { } category)
        {
            media = media.Where(m => m.CategoryId == category.CategoryId);
        }
        if (ExactTag(query) is { } tag)
        {
            // The search index narrows by the tag's words; this keeps only the exact tag ("live" is not "live show").
            var delimited = $"%{MediaTags.Separator}{EscapeLike(tag)}{MediaTags.Separator}%";
            media = media.Where(m => EF.Functions.Like(MediaTags.Separator + m.Tags + MediaTags.Separator, delimited, "\\"));
        }
        return media;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <remarks>
    /// Each keyset condition also states its bound on the sort column alone (<c>CreatedAt &lt;= c AND (CreatedAt &lt; c OR
    /// ...)</c>): PostgreSQL seeks the index to that bound only when it is a plain conjunct, and without it walked the
    /// application's index entries from the first page to the cursor (40 ms at page 500 of 19,840 rows, docs/performance.md).
    /// SQLite finds the same range either way.
    /// </remarks>
    private static IQueryable<RankedMedia> After(IQueryable<RankedMedia> rows, MediaCursor? after) => after switch
    {
        null => rows,
        { Sort: MediaSort.Oldest } => rows.Where(r => r.Media.CreatedAt >= after.CreatedAt && (r.Media.CreatedAt > after.CreatedAt
            || (r.Media.CreatedAt == after.CreatedAt && r.Media.Id > after.Id))),
        { Sort: MediaSort.Title } => rows.Where(r => string.Compare(r.Media.Title, after.Title) >= 0 && (string.Compare(r.Media.Title, after.Title) > 0
            || (r.Media.Title == after.Title && r.Media.Id > after.Id))),
        { Sort: MediaSort.Largest } => rows.Where(r => r.Media.SizeBytes <= after.SizeBytes && (r.Media.SizeBytes < after.SizeBytes
            || (r.Media.SizeBytes == after.SizeBytes && r.Media.Id < after.Id))),
        { Sort: MediaSort.Relevance } => rows, // applied to the hits (see Hits)
        _ => rows.Where(r => r.Media.CreatedAt <= after.CreatedAt && (r.Media.CreatedAt < after.CreatedAt
            || (r.Media.CreatedAt == after.CreatedAt && r.Media.Id < after.Id))),
    };

    private static IQueryable<RankedMedia> Ordered(IQueryable<RankedMedia> rows, MediaSort sort) => sort switch
    {
        MediaSort.Oldest => rows.OrderBy(r => r.Media.CreatedAt).ThenBy(r => r.Media.Id),
        MediaSort.Title => rows.OrderBy(r => r.Media.Title).ThenBy(r => r.Media.Id),
        MediaSort.Largest => rows.OrderByDescending(r => r.Media.SizeBytes).ThenByDescending(r => r.Media.Id),
        MediaSort.Relevance => rows.OrderBy(r => r.Rank).ThenBy(r => r.Media.Id),
        _ => rows.OrderByDescending(r => r.Media.CreatedAt).ThenByDescending(r => r.Media.Id),
    };
}
