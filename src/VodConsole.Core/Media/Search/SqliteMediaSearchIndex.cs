using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// SQLite FTS5 over title, description and tags, kept in step with the media table by triggers. Each row also carries
/// its application as a token, so the index itself narrows a search to one application instead of filtering afterwards.
/// The index is (re)built at start when missing, because SQLite drops a table's triggers when a migration rebuilds it.
/// </summary>
public sealed class SqliteMediaSearchIndex : IMediaSearchIndex
{
    private const string Table = "MediaSearch";

    // bm25 weights per column (app, title, description, tags): a word in the title counts most, the app token not at all.
    private const string Rank = $"bm25({Table}, 0.0, 10.0, 1.0, 4.0)";

    private static readonly string[] Schema =
    [
        $"""
         CREATE VIRTUAL TABLE IF NOT EXISTS {Table} USING fts5(app, title, description, tags,
             tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')
         """,
        $"""
         CREATE TRIGGER IF NOT EXISTS MediaSearchInsert AFTER INSERT ON Media BEGIN
             INSERT INTO {Table}(rowid, app, title, description, tags)
             VALUES (new.Id, 'app' || new.ApplicationId, new.Title, new.Description, new.Tags);
         END
         """,
        $"""
         CREATE TRIGGER IF NOT EXISTS MediaSearchDelete AFTER DELETE ON Media BEGIN
             DELETE FROM {Table} WHERE rowid = old.Id;
         END
         """,
        $"""
         CREATE TRIGGER IF NOT EXISTS MediaSearchUpdate AFTER UPDATE OF ApplicationId, Title, Description, Tags ON Media BEGIN
             UPDATE {Table} SET app = 'app' || new.ApplicationId, title = new.Title, description = new.Description, tags = new.Tags
             WHERE rowid = new.Id;
         END
         """,
    ];

    public async Task EnsureAsync(VodDbContext db, CancellationToken ct = default)
    {
        var triggers = await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS Value FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'MediaSearch%'")
            .SingleAsync(ct);
        if (triggers == 3)
        {
            return;
        }
        // Missing triggers mean the index may have missed changes: build it again from the media table.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var statement in Schema)
        {
            await db.Database.ExecuteSqlRawAsync(statement, ct);
        }
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM {Table}", ct);
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Table}(rowid, app, title, description, tags) SELECT Id, 'app' || ApplicationId, Title, Description, Tags FROM Media", ct);
        await transaction.CommitAsync(ct);
    }

    public IQueryable<MediaSearchHit> Search(VodDbContext db, long applicationId, MediaSearchTerms terms)
    {
        var match = MatchExpression(applicationId, terms);
        return db.Database.SqlQueryRaw<MediaSearchHit>(
            $"SELECT rowid AS MediaId, {Rank} AS Rank FROM {Table} WHERE {Table} MATCH {{0}}", match);
    }

    /// <summary>
    /// The FTS5 query: the application's token, then every word quoted (so nothing the user types is an operator),
    /// each also as a prefix; a tag is a phrase in the tags column, checked exactly by the library afterwards.
    /// </summary>
    internal static string MatchExpression(long applicationId, MediaSearchTerms terms)
    {
        var parts = new List<string> { $"app : \"app{applicationId}\"" };
        if (terms.Words.Count > 0)
        {
            parts.Add($"{{title description tags}} : ({string.Join(" AND ", terms.Words.Select(word => $"\"{word}\"*"))})");
        }
        if (terms.Tag is { } tag && MediaSearchTerms.WordsOf(tag).ToList() is { Count: > 0 } tagWords)
        {
            parts.Add($"tags : \"{string.Join(' ', tagWords)}\"");
        }
        return string.Join(" AND ", parts);
    }
}
