using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// One media item that matches a search, with the application whose terms it matched and its relevance: lower ranks are
/// better matches. A rank is the same whether one application is searched or several (each application's words are
/// ranked by its own query), so hits of several applications merge into one order.
/// </summary>
public sealed class MediaSearchHit
{
    public long MediaId { get; set; }
    public long ApplicationId { get; set; }
    public double Rank { get; set; }
}

/// <summary>
/// The full-text index over media titles, descriptions and tags. Provider-specific (SQLite FTS5 here; PostgreSQL would
/// use a tsvector), so it sits behind this interface and the rest of the library stays plain LINQ.
/// </summary>
public interface IMediaSearchIndex
{
    /// <summary>
    /// Creates the index if missing or outdated and makes sure it follows every change of the media table; true when it
    /// was (re)built from the media table just now.
    /// </summary>
    Task<bool> EnsureAsync(VodDbContext db, CancellationToken ct = default);

    /// <summary>
    /// Indexes the media rows changed since the last catch-up, by whoever changed them; returns how many. Cheap when
    /// nothing changed. Runs in the context's transaction if it has one.
    /// </summary>
    Task<int> CatchUpAsync(VodDbContext db, CancellationToken ct = default);

    /// <summary>
    /// The media of these applications that match every word (as a word or its beginning) and the tag's words, as a
    /// query that composes with the library's filters, ordering and keyset. Each application is looked up by its own
    /// terms (one query per application, combined), so a hit's rank is the one a search of its application alone gives.
    /// The applications are the caller's to check: the media library passes its role's, the cross-application search
    /// the ones the access policy allows.
    /// </summary>
    IQueryable<MediaSearchHit> Search(VodDbContext db, IReadOnlyCollection<long> applicationIds, MediaSearchTerms terms);

    /// <summary>
    /// The media table with only the rows that match (as <see cref="Search"/> of this one application), checked row by row
    /// as the database reads them: for a common word, whose page is found by walking the application's media in the
    /// page's order, where most rows read match and reading every hit first would cost more than the walk.
    /// </summary>
    IQueryable<MediaItem> Matching(VodDbContext db, long applicationId, MediaSearchTerms terms);
}
