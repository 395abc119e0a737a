using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// SQLite FTS5 over title, description and tags, with terms made per application (<see cref="MediaSearchTokens"/>) so
/// the index itself narrows a search to one application and never reads another's matches. The terms are made here, in
/// .NET; the database only remembers which media rows changed: plain-SQL triggers put the ID of every inserted, updated
/// or deleted row in <c>MediaSearchPending</c>, in the same transaction as the change, whoever makes it (the console,
/// the <c>sqlite3</c> shell, a script). <see cref="CatchUpAsync"/> indexes those rows again and empties the list; it runs
/// after every save (<see cref="MediaSearchFollower"/>), before every search and at start, so a search never sees an
/// index behind the table. At start the index is rebuilt when its definition differs from this one (an older format), a
/// trigger is missing (SQLite drops a table's triggers when a migration rebuilds it) or it holds another number of rows
/// than the media table. See docs/decisions/0011-search-index-kept-by-the-application.md.
/// </summary>
public sealed class SqliteMediaSearchIndex : IMediaSearchIndex
{
    private const string Table = "MediaSearch";
    private const string Pending = "MediaSearchPending";
    private const int BatchSize = 1000;

    // bm25 weights per column (title, description, tags): a word in the title counts most.
    private const string Rank = $"bm25({Table}, 10.0, 1.0, 4.0)";

    // Contentless: only the terms are needed, never the text back (the media table has it). The words come normalised
    // from MediaSearchTokens, so the tokenizer only splits at spaces: "ascii" keeps every other character as it is, and
    // the separator joins an application to its word. The triggers use nothing but SQL, so any SQLite tool may write.
    private static readonly SchemaObject[] Schema =
    [
        new(Table, $"""
            CREATE VIRTUAL TABLE {Table} USING fts5(title, description, tags,
                content = '', contentless_delete = 1, tokenize = "ascii tokenchars '{MediaSearchTokens.Separator}'")
            """),
        new(Pending, $"CREATE TABLE {Pending} (MediaId INTEGER NOT NULL PRIMARY KEY)"),
        new("MediaSearchInsert", $"""
            CREATE TRIGGER MediaSearchInsert AFTER INSERT ON Media BEGIN
                INSERT OR IGNORE INTO {Pending}(MediaId) VALUES (new.Id);
            END
            """),
        new("MediaSearchDelete", $"""
            CREATE TRIGGER MediaSearchDelete AFTER DELETE ON Media BEGIN
                INSERT OR IGNORE INTO {Pending}(MediaId) VALUES (old.Id);
            END
            """),
        // An application change changes every term; an ID changed by hand leaves the old row to remove and the new to add.
        new("MediaSearchUpdate", $"""
            CREATE TRIGGER MediaSearchUpdate AFTER UPDATE OF Id, ApplicationId, Title, Description, Tags ON Media BEGIN
                INSERT OR IGNORE INTO {Pending}(MediaId) VALUES (old.Id), (new.Id);
            END
            """),
    ];

    public async Task<bool> EnsureAsync(VodDbContext db, CancellationToken ct = default)
    {
        if (await IsCurrentAsync(db, ct))
        {
            await CatchUpAsync(db, ct);
            return false;
        }
        // Another definition, a missing trigger or other rows: the index may be in an old format or have missed changes,
        // so it is built again from the media table, all in one transaction.
        await InTransactionAsync(db, async (connection, transaction) =>
        {
            // Whatever exists in any format: the triggers first (an older one may call a function no longer registered).
            foreach (var o in Schema.Where(o => o.Name is not (Table or Pending)))
            {
                await ExecuteAsync(connection, transaction, $"DROP TRIGGER IF EXISTS {o.Name}", ct);
            }
            await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {Table}; DROP TABLE IF EXISTS {Pending}", ct);
            foreach (var o in Schema)
            {
                await ExecuteAsync(connection, transaction, o.Sql, ct);
            }
            await ExecuteAsync(connection, transaction, $"INSERT INTO {Pending}(MediaId) SELECT Id FROM Media", ct);
            await IndexPendingAsync(connection, transaction, ct);
        }, ct);
        return true;
    }

    public async Task<int> CatchUpAsync(VodDbContext db, CancellationToken ct = default)
    {
        // The usual answer, without taking the write lock: nothing changed since the last catch-up.
        var waiting = await db.Database.SqlQueryRaw<long>($"SELECT EXISTS (SELECT 1 FROM {Pending}) AS Value").SingleAsync(ct);
        return waiting == 0 ? 0 : await InTransactionAsync(db, (connection, transaction) => IndexPendingAsync(connection, transaction, ct), ct);
    }

    /// <summary>Indexes the rows waiting in the pending list again (or removes them, if deleted) and takes them off it.</summary>
    private static async Task<int> IndexPendingAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var read = Command(connection, transaction, $"""
            SELECT p.MediaId, m.ApplicationId, m.Title, m.Description, m.Tags
            FROM {Pending} p LEFT JOIN Media m ON m.Id = p.MediaId ORDER BY p.MediaId LIMIT {BatchSize}
            """);
        await using var remove = Command(connection, transaction, $"DELETE FROM {Table} WHERE rowid = $id; DELETE FROM {Pending} WHERE MediaId = $id");
        await using var insert = Command(connection, transaction,
            $"INSERT INTO {Table}(rowid, title, description, tags) VALUES ($id, $title, $description, $tags)");
        var removeId = remove.Parameters.Add("$id", SqliteType.Integer);
        var insertId = insert.Parameters.Add("$id", SqliteType.Integer);
        var columns = new[] { "$title", "$description", "$tags" }.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();

        var indexed = 0;
        while (true)
        {
            var rows = new List<(long Id, long? ApplicationId, string?[] Texts)>(BatchSize);
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                        [.. Enumerable.Range(2, 3).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]));
                }
            }
            foreach (var (id, applicationId, texts) in rows)
            {
                removeId.Value = id;
                await remove.ExecuteNonQueryAsync(ct);
                if (applicationId is { } app)
                {
                    insertId.Value = id;
                    for (var c = 0; c < columns.Length; c++)
                    {
                        columns[c].Value = texts[c] is { } text ? MediaSearchTokens.ForIndex(app, text) : DBNull.Value;
                    }
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }
            indexed += rows.Count;
            if (rows.Count < BatchSize)
            {
                return indexed;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the context's transaction if it has one (the index then changes with the caller's
    /// rows, or not at all), else in one of its own that takes the write lock at once, so two servers never index the
    /// same pending rows at the same time.
    /// </summary>
    private static async Task<T> InTransactionAsync<T>(VodDbContext db, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            if (db.Database.CurrentTransaction?.GetDbTransaction() is SqliteTransaction current)
            {
                return await work(connection, current);
            }
            await using var own = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var result = await work(connection, own);
            await own.CommitAsync(ct);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Task InTransactionAsync(VodDbContext db, Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct) =>
        InTransactionAsync(db, async (connection, transaction) => { await work(connection, transaction); return 0; }, ct);

    /// <summary>
    /// True when the table, the pending list and every trigger exist exactly as defined here (SQLite keeps their CREATE
    /// text) and the index holds a row for every media row: anything else means it missed changes.
    /// </summary>
    private static async Task<bool> IsCurrentAsync(VodDbContext db, CancellationToken ct)
    {
        var stored = await db.Database
            .SqlQuery<StoredObject>($"SELECT name AS Name, sql AS Sql FROM sqlite_master WHERE type IN ('table', 'trigger')")
            .ToDictionaryAsync(o => o.Name, o => o.Sql, ct);
        if (!Schema.All(o => stored.TryGetValue(o.Name, out var sql) && sql == o.Sql))
        {
            return false;
        }
        // Rows still pending are counted as they will be once caught up: a deleted one leaves the index, a new one joins.
        return await db.Database.SqlQueryRaw<long>($"""
            SELECT (SELECT count(*) FROM Media)
                 = (SELECT count(*) FROM {Table} WHERE rowid NOT IN (SELECT MediaId FROM {Pending}))
                 + (SELECT count(*) FROM {Pending} p JOIN Media m ON m.Id = p.MediaId) AS Value
            """).SingleAsync(ct) == 1;
    }

    public IQueryable<MediaSearchHit> Search(VodDbContext db, IReadOnlyCollection<long> applicationIds, MediaSearchTerms terms)
    {
        // One MATCH per application, each with its own bm25 (as a search of that application alone), combined; the ID is a
        // number, written as one, and the expressions are parameters.
        var ids = applicationIds.Distinct().ToList();
        var sql = string.Join(" UNION ALL ", ids.Select((id, i) =>
            $"SELECT rowid AS MediaId, {id.ToString(CultureInfo.InvariantCulture)} AS ApplicationId, {Rank} AS Rank FROM {Table} WHERE {Table} MATCH {{{i}}}"));
        return ids.Count > 0
            ? db.Database.SqlQueryRaw<MediaSearchHit>(sql, [.. ids.Select(id => (object)MatchExpression(id, terms))])
            : throw new ArgumentException("Search at least one application.", nameof(applicationIds));
    }

    /// <summary>
    /// The FTS5 query: every word as the application's term, quoted (so nothing the user types is an operator) and as a
    /// prefix; the tag's words as whole terms of the tags column (the library then checks the exact tag).
    /// </summary>
    internal static string MatchExpression(long applicationId, MediaSearchTerms terms) => string.Join(" AND ",
        terms.Words.Select(word => $"\"{MediaSearchTokens.Of(applicationId, word)}\"*")
            .Concat(terms.TagWords.Select(word => $"tags : \"{MediaSearchTokens.Of(applicationId, word)}\"")));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed record SchemaObject(string Name, string Sql);

    private sealed record StoredObject(string Name, string? Sql);

    public IQueryable<MediaItem> Matching(VodDbContext db, long applicationId, MediaSearchTerms terms)
    {
        // SQLite reads the hits once into a list (with a Bloom filter) and checks each media row it walks against it.
        var hits = Search(db, [applicationId], terms).Select(hit => hit.MediaId);
        return db.Media.Where(m => hits.Contains(m.Id));
    }
}
