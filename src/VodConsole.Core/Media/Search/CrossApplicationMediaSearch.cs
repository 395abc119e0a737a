using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Media.Search;

/// <summary>Where a page of a cross-application search ends: the next starts after this hit (rank, then media ID).</summary>
public sealed record CrossApplicationCursor(double Rank, long MediaId);

/// <summary>A media item found, with the application it belongs to (as the caller's switcher names it).</summary>
public sealed record CrossApplicationHit(MediaItem Media, ConsoleRole Application);

/// <summary>A page of hits, best match first; <paramref name="Searched"/> are the applications the search covered.</summary>
public sealed record CrossApplicationPage(IReadOnlyList<CrossApplicationHit> Hits, CrossApplicationCursor? Next, IReadOnlyList<ConsoleRole> Searched);

/// <summary>
/// Media search across several applications: the one place where application-owned data is read for more than one
/// application at a time on a user's or a key's behalf (docs/decisions/0019-cross-application-search.md). The
/// applications come from the access policy, read from the database at every search — never from the request, which
/// may only narrow them —, so a grant revoked a moment ago already takes its application's hits away. The index is asked
/// for exactly those applications' terms; the page's rows are then read through each application's own isolated context,
/// so the query filter still decides what a hit may show. Nothing here writes, and no query filter is switched off.
/// </summary>
public sealed class CrossApplicationMediaSearch(
    IDbContextFactory<VodDbContext> dbFactory, ApplicationData data, AccessPolicy access, IMediaSearchIndex searchIndex)
{
    public const int MaxPageSize = MediaLibrary.MaxPageSize;

    /// <summary>
    /// The media of the caller's applications (or of <paramref name="applicationIds"/> among them) that match every word
    /// of <paramref name="text"/>, the last also as a prefix, best match first, in keyset pages. An application ID the
    /// caller may not see is refused as not found, whether it exists or not; disabled applications are searched like any
    /// other, as their own media library is. No words, no hits.
    /// </summary>
    public async Task<CrossApplicationPage> SearchAsync(
        string? text, IReadOnlyCollection<long>? applicationIds, CrossApplicationCursor? after, int size = 20, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        var readable = await access.ReadableApplicationsAsync(ct);
        var searched = applicationIds is null ? readable : Narrow(readable, applicationIds);
        var terms = MediaSearchTerms.From(text);
        if (terms.Words.Count == 0 || searched.Count == 0)
        {
            return new CrossApplicationPage([], null, searched);
        }

        List<MediaSearchHit> hits;
        // A context isolated to no application sees no application's rows: it only runs the index's query, which asks for
        // the searched applications' terms alone.
        await using (var index = await dbFactory.CreateDbContextAsync(ct))
        {
            await searchIndex.CatchUpAsync(index, ct);
            var query = searchIndex.Search(index, searched.Select(a => a.ApplicationId!.Value).ToList(), terms);
            if (after is not null)
            {
                query = query.Where(h => h.Rank > after.Rank || (h.Rank == after.Rank && h.MediaId > after.MediaId));
            }
            // Media IDs are unique across applications, so (rank, ID) orders every hit of every application exactly once.
            hits = await query.OrderBy(h => h.Rank).ThenBy(h => h.MediaId).Take(size + 1).ToListAsync(ct);
        }
        var next = hits.Count > size ? new CrossApplicationCursor(hits[size - 1].Rank, hits[size - 1].MediaId) : null;
        hits = hits.Take(size).ToList();

        var rows = new Dictionary<long, MediaItem>();
        foreach (var application in hits.GroupBy(h => h.ApplicationId))
        {
            var ids = application.Select(h => h.MediaId).ToList();
            await using var db = await data.OpenForAsync(application.Key, ct);
            foreach (var item in await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct))
            {
                rows[item.Id] = item;
            }
        }
        var roles = searched.ToDictionary(a => a.ApplicationId!.Value);
        // An item deleted (or moved) between the two steps is left out; the cursor still continues after its place.
        return new CrossApplicationPage(
            [.. hits.Where(h => rows.TryGetValue(h.MediaId, out var m) && m.ApplicationId == h.ApplicationId)
                .Select(h => new CrossApplicationHit(rows[h.MediaId], roles[h.ApplicationId]))],
            next, searched);
    }

    /// <summary>The asked-for applications, in the switcher's order; one the caller may not see is not found.</summary>
    private static IReadOnlyList<ConsoleRole> Narrow(IReadOnlyList<ConsoleRole> readable, IReadOnlyCollection<long> applicationIds)
    {
        if (applicationIds.Any(id => !readable.Any(a => a.ApplicationId == id)))
        {
            throw new AccessDeniedException(AccessPolicy.NotFoundMessage);
        }
        return [.. readable.Where(a => applicationIds.Contains(a.ApplicationId!.Value))];
    }
}
