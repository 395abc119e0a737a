using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// SQLite FTS5 over title, description and tags, kept in step with the media table by triggers. The terms are made per
/// application (<see cref="MediaSearchTokens"/>) by a function the triggers call (<see cref="SqliteSearchFunctions"/>),
/// so the index itself narrows a search to one application and never reads another's matches. At start the index is
/// rebuilt when its definition differs from this one (an older format) or a trigger is missing (SQLite drops a table's
/// triggers when a migration rebuilds it).
/// </summary>
public sealed class SqliteMediaSearchIndex : IMediaSearchIndex
{
    private const string Table = "MediaSearch";
    private const string Tokens = SqliteSearchFunctions.TokensFunction;

    // bm25 weights per column (title, description, tags): a word in the title counts most.
    private const string Rank = $"bm25({Table}, 10.0, 1.0, 4.0)";

    // Contentless: only the terms are needed, never the text back (the media table has it). The words come normalised
    // from the function, so the tokenizer only splits at spaces: "ascii" keeps every other character as it is, and the
    // separator joins an application to its word.
    private static readonly SchemaObject[] Schema =
    [
        new(Table, $"""
            CREATE VIRTUAL TABLE {Table} USING fts5(title, description, tags,
                content = '', contentless_delete = 1, tokenize = "ascii tokenchars '{MediaSearchTokens.Separator}'")
            """),
        new("MediaSearchInsert", $"""
            CREATE TRIGGER MediaSearchInsert AFTER INSERT ON Media BEGIN
                INSERT INTO {Table}(rowid, title, description, tags) VALUES (new.Id, {TermsOf("new")});
            END
            """),
        new("MediaSearchDelete", $"""
            CREATE TRIGGER MediaSearchDelete AFTER DELETE ON Media BEGIN
                DELETE FROM {Table} WHERE rowid = old.Id;
            END
            """),
        // A contentless table updates all columns or none; an application change changes every term.
        new("MediaSearchUpdate", $"""
            CREATE TRIGGER MediaSearchUpdate AFTER UPDATE OF ApplicationId, Title, Description, Tags ON Media BEGIN
                UPDATE {Table} SET (title, description, tags) = ({TermsOf("new")}) WHERE rowid = new.Id;
            END
            """),
    ];

    private static string TermsOf(string row) =>
        $"{Tokens}({row}.ApplicationId, {row}.Title), {Tokens}({row}.ApplicationId, {row}.Description), {Tokens}({row}.ApplicationId, {row}.Tags)";

    // Everything a rebuild runs, in order: drop what exists in any format, create this definition, fill it from Media.
    private static readonly string[] Rebuild =
    [
        .. Schema.Where(o => o.Name != Table).Select(o => $"DROP TRIGGER IF EXISTS {o.Name}"),
        $"DROP TABLE IF EXISTS {Table}",
        .. Schema.Select(o => o.Sql),
        $"INSERT INTO {Table}(rowid, title, description, tags) SELECT Id, {TermsOf("Media")} FROM Media",
    ];

    public async Task<bool> EnsureAsync(VodDbContext db, CancellationToken ct = default)
    {
        if (await IsCurrentAsync(db, ct))
        {
            return false;
        }
        // Another definition or a missing trigger: the index may be in an old format or have missed changes, so it is
        // built again from the media table, all in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var statement in Rebuild)
        {
            await db.Database.ExecuteSqlRawAsync(statement, ct);
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>True when the table and every trigger exist exactly as defined here (SQLite keeps their CREATE text).</summary>
    private static async Task<bool> IsCurrentAsync(VodDbContext db, CancellationToken ct)
    {
        var stored = await db.Database
            .SqlQuery<StoredObject>($"SELECT name AS Name, sql AS Sql FROM sqlite_master WHERE type IN ('table', 'trigger')")
            .ToDictionaryAsync(o => o.Name, o => o.Sql, ct);
        return Schema.All(o => stored.TryGetValue(o.Name, out var sql) && sql == o.Sql);
    }

    public IQueryable<MediaSearchHit> Search(VodDbContext db, long applicationId, MediaSearchTerms terms)
    {
        var match = MatchExpression(applicationId, terms);
        return db.Database.SqlQueryRaw<MediaSearchHit>(
            $"SELECT rowid AS MediaId, {Rank} AS Rank FROM {Table} WHERE {Table} MATCH {{0}}", match);
    }

    /// <summary>
    /// The FTS5 query: every word as the application's term, quoted (so nothing the user types is an operator) and as a
    /// prefix; the tag's words as whole terms of the tags column (the library then checks the exact tag).
    /// </summary>
    internal static string MatchExpression(long applicationId, MediaSearchTerms terms) => string.Join(" AND ",
        terms.Words.Select(word => $"\"{MediaSearchTokens.Of(applicationId, word)}\"*")
            .Concat(terms.TagWords.Select(word => $"tags : \"{MediaSearchTokens.Of(applicationId, word)}\"")));

    private sealed record SchemaObject(string Name, string Sql);

    private sealed record StoredObject(string Name, string? Sql);
}
