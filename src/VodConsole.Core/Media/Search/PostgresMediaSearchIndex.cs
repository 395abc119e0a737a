using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// PostgreSQL full-text search over title, description and tags: one <c>tsvector</c> per media row in
/// <c>MediaSearch</c>, with a GIN index. As on SQLite (<see cref="SqliteMediaSearchIndex"/>), the terms are made in .NET
/// (<see cref="MediaSearchTokens"/>: the same words, accents, scripts and per-application prefix), so both engines find
/// the same rows, and an index lookup only ever reads the current application's terms. The terms are given to PostgreSQL
/// as a <c>tsvector</c> literal, never through its parser (which would cut "1500000001_trailer" at the underscore and
/// fold words its own way); each column has its weight (title A, tags B, description D), so <c>ts_rank</c>'s default
/// weights (1.0, 0.4, 0.1) rank like SQLite's bm25 weights (10, 4, 1). A trigger notes every changed media row in
/// <c>MediaSearchPending</c>, whoever changes it (the console, psql, a script), and <see cref="CatchUpAsync"/> indexes
/// the noted rows after every save, before every search and at start. A tag's words are also stored as terms of their
/// own, for the tag filter (<see cref="TagSeparator"/>).
/// </summary>
public sealed class PostgresMediaSearchIndex : IMediaSearchIndex
{
    private const string Table = "MediaSearch";
    private const string Pending = "MediaSearchPending";
    private const string Note = "MediaSearchNote";
    private const int BatchSize = 1000;

    // Written on the table: another value (or none) means an older format, rebuilt at start. Raise it with any change below.
    private const string Format = "VodConsole media search, format 2";

    /// <summary>
    /// Joins the application to a tag's word in the terms only the tag filter looks up ("1500000001#concert"): a GIN index
    /// keeps no weights, so a filter on the tags' weight B read every row with the word anywhere (7,103 for 474 tagged
    /// "concert" in the benchmark) to check its weight on the table; a term of its own is answered by the index alone.
    /// </summary>
    private const char TagSeparator = '#';

    // The trigger locks the pending row even when it is already there (the no-op update), so a catch-up that is taking
    // that row waits for the change to commit and then reads it, and one that took it first makes the change wait and
    // note the row again: no change is ever indexed from an older version of the row.
    private static readonly string[] Schema =
    [
        $"""CREATE TABLE "{Table}" ("MediaId" bigint NOT NULL PRIMARY KEY, "Terms" tsvector NOT NULL)""",
        $"""CREATE INDEX "IX_{Table}_Terms" ON "{Table}" USING gin ("Terms")""",
        $"""COMMENT ON TABLE "{Table}" IS '{Format}'""",
        $"""CREATE TABLE "{Pending}" ("MediaId" bigint NOT NULL PRIMARY KEY)""",
        $"""
        CREATE FUNCTION "{Note}"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO "{Pending}" ("MediaId") VALUES (OLD."Id") ON CONFLICT ("MediaId") DO UPDATE SET "MediaId" = excluded."MediaId";
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO "{Pending}" ("MediaId") VALUES (NEW."Id") ON CONFLICT ("MediaId") DO UPDATE SET "MediaId" = excluded."MediaId";
            END IF;
            RETURN NULL;
        END $$
        """,
        // An application change changes every term; an ID changed by hand leaves the old row to remove and the new to add.
        $"""
        CREATE TRIGGER "{Note}" AFTER INSERT OR DELETE OR UPDATE OF "Id", "ApplicationId", "Title", "Description", "Tags"
            ON "Media" FOR EACH ROW EXECUTE FUNCTION "{Note}"()
        """,
    ];

    public async Task<bool> EnsureAsync(VodDbContext db, CancellationToken ct = default)
    {
        if (await IsCurrentAsync(db, ct))
        {
            await CatchUpAsync(db, ct);
            return false;
        }
        await InTransactionAsync(db, async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, $"""
                DROP TRIGGER IF EXISTS "{Note}" ON "Media"; DROP FUNCTION IF EXISTS "{Note}"();
                DROP TABLE IF EXISTS "{Table}"; DROP TABLE IF EXISTS "{Pending}"
                """, ct);
            foreach (var sql in Schema)
            {
                await ExecuteAsync(connection, transaction, sql, ct);
            }
            await ExecuteAsync(connection, transaction, $"""INSERT INTO "{Pending}" ("MediaId") SELECT "Id" FROM "Media" """, ct);
            await IndexPendingAsync(connection, transaction, ct);
            return 0;
        }, ct);
        return true;
    }

    public async Task<int> CatchUpAsync(VodDbContext db, CancellationToken ct = default)
    {
        // The usual answer, one index probe: nothing changed since the last catch-up.
        var waiting = await db.Database.SqlQueryRaw<bool>($"""SELECT EXISTS (SELECT 1 FROM "{Pending}") AS "Value" """).SingleAsync(ct);
        return waiting ? await InTransactionAsync(db, (connection, transaction) => IndexPendingAsync(connection, transaction, ct), ct) : 0;
    }

    /// <summary>
    /// Takes noted rows off the pending list, a batch at a time, and indexes them as they are now (or removes them, if
    /// deleted). Rows another transaction is noting or taking are skipped: that one indexes them.
    /// </summary>
    private static async Task<int> IndexPendingAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var indexed = 0;
        while (true)
        {
            var gone = new List<long>();
            var ids = new List<long>();
            var terms = new List<string>();
            await using (var take = new NpgsqlCommand($"""
                WITH taken AS (
                    DELETE FROM "{Pending}" WHERE "MediaId" IN (
                        SELECT "MediaId" FROM "{Pending}" ORDER BY "MediaId" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                    RETURNING "MediaId")
                SELECT t."MediaId", m."ApplicationId", m."Title", m."Description", m."Tags"
                FROM taken t LEFT JOIN "Media" m ON m."Id" = t."MediaId"
                """, connection, transaction))
            await using (var reader = await take.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetInt64(0);
                    if (reader.IsDBNull(1))
                    {
                        gone.Add(id);
                        continue;
                    }
                    ids.Add(id);
                    terms.Add(Vector(reader.GetInt64(1), Text(reader, 2), Text(reader, 3), Text(reader, 4)));
                }
            }
            if (gone.Count > 0)
            {
                await using var remove = new NpgsqlCommand($"""DELETE FROM "{Table}" WHERE "MediaId" = ANY(@ids)""", connection, transaction);
                remove.Parameters.AddWithValue("ids", gone.ToArray());
                await remove.ExecuteNonQueryAsync(ct);
            }
            if (ids.Count > 0)
            {
                await using var upsert = new NpgsqlCommand($"""
                    INSERT INTO "{Table}" ("MediaId", "Terms")
                    SELECT id, CAST(terms AS tsvector) FROM unnest(@ids, @terms) AS t(id, terms)
                    ON CONFLICT ("MediaId") DO UPDATE SET "Terms" = excluded."Terms"
                    """, connection, transaction);
                upsert.Parameters.AddWithValue("ids", ids.ToArray());
                upsert.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms.ToArray() });
                await upsert.ExecuteNonQueryAsync(ct);
            }
            var batch = gone.Count + ids.Count;
            indexed += batch;
            if (batch < BatchSize)
            {
                return indexed;
            }
        }
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>
    /// The row's terms as a <c>tsvector</c> literal: each term quoted, with its position and its column's weight (title A,
    /// tags B, description D); a tag's word also as its tag term, at the same position.
    /// </summary>
    internal static string Vector(long applicationId, string? title, string? description, string? tags)
    {
        var vector = new StringBuilder();
        var position = 0;
        foreach (var (text, weight) in new[] { (title, 'A'), (tags, 'B'), (description, 'D') })
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            foreach (var term in MediaSearchTokens.ForIndex(applicationId, text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // PostgreSQL keeps positions up to 16383 and counts any later one as that: the weight is what matters here.
                position = Math.Min(position + 1, 16383);
                vector.Append(vector.Length == 0 ? "" : " ").Append(Quoted(term)).Append(':').Append(position).Append(weight);
                if (weight == 'B')
                {
                    vector.Append(' ').Append(Quoted(TagTerm(term))).Append(':').Append(position).Append(weight);
                }
            }
        }
        return vector.ToString();
    }

    /// <summary>A tag's word as the tag filter looks it up: the application's term with the tag separator in place of its own.</summary>
    private static string TagTerm(string term)
    {
        var separator = term.IndexOf(MediaSearchTokens.Separator);
        return string.Concat(term.AsSpan(0, separator), [TagSeparator], term.AsSpan(separator + 1));
    }

    /// <summary>A term as a quoted lexeme: words are letters and digits only, but nothing a row holds may become syntax.</summary>
    private static string Quoted(string term) => $"'{term.Replace("\\", "\\\\").Replace("'", "''")}'";

    /// <summary>
    /// The <c>tsquery</c>: every word as the application's term and a prefix, the tag's words as whole tag terms, all
    /// required; quoted, so nothing the user types is an operator.
    /// </summary>
    internal static string QueryExpression(long applicationId, MediaSearchTerms terms) => string.Join(" & ",
        terms.Words.Select(word => $"{Quoted(MediaSearchTokens.Of(applicationId, word))}:*")
            .Concat(terms.TagWords.Select(word => Quoted(TagTerm(MediaSearchTokens.Of(applicationId, word))))));

    public IQueryable<MediaSearchHit> Search(VodDbContext db, IReadOnlyCollection<long> applicationIds, MediaSearchTerms terms)
    {
        // One GIN lookup per application, each ranked by its own query (as a search of that application alone), combined.
        // Lower ranks are better matches (as SQLite's bm25): the negated ts_rank. The ID is a number, written as one.
        var ids = applicationIds.Distinct().ToList();
        var sql = string.Join(" UNION ALL ", ids.Select((id, i) => $$"""
            SELECT s."MediaId", CAST({{id.ToString(CultureInfo.InvariantCulture)}} AS bigint) AS "ApplicationId",
                CAST(-ts_rank(s."Terms", CAST({{{i}}} AS tsquery)) AS double precision) AS "Rank"
            FROM "{{Table}}" s WHERE s."Terms" @@ CAST({{{i}}} AS tsquery)
            """));
        return ids.Count > 0
            ? db.Database.SqlQueryRaw<MediaSearchHit>(sql, [.. ids.Select(id => (object)QueryExpression(id, terms))])
            : throw new ArgumentException("Search at least one application.", nameof(applicationIds));
    }

    /// <summary>
    /// A subquery per row, which PostgreSQL keeps as one: each media row read is looked up by primary key and tested. As a
    /// join or an IN list the planner, which cannot know that every hit is this application's, reads all the hits first
    /// (3,842 heap rows for a common word of the benchmark: 11 ms, against 0.5 ms for the walk to the first page).
    /// </summary>
    public IQueryable<MediaItem> Matching(VodDbContext db, long applicationId, MediaSearchTerms terms) =>
        db.Media.FromSqlRaw(
            $$"""SELECT * FROM "Media" m WHERE (SELECT s."Terms" FROM "{{Table}}" s WHERE s."MediaId" = m."Id") @@ CAST({0} AS tsquery)""",
            QueryExpression(applicationId, terms));

    /// <summary>True when the table carries this format's mark, the trigger is on the media table and every row is indexed.</summary>
    private static async Task<bool> IsCurrentAsync(VodDbContext db, CancellationToken ct)
    {
        var marked = await db.Database.SqlQueryRaw<bool>($"""
            SELECT COALESCE(obj_description(to_regclass('"{Table}"'), 'pg_class') = '{Format}', false)
               AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{Note}' AND tgrelid = to_regclass('"Media"'))
               AND to_regclass('"{Pending}"') IS NOT NULL AS "Value"
            """).SingleAsync(ct);
        if (!marked)
        {
            return false;
        }
        // Rows still pending are counted as they will be once caught up: a deleted one leaves the index, a new one joins.
        return await db.Database.SqlQueryRaw<bool>($"""
            SELECT (SELECT count(*) FROM "Media")
                 = (SELECT count(*) FROM "{Table}" WHERE "MediaId" NOT IN (SELECT "MediaId" FROM "{Pending}"))
                 + (SELECT count(*) FROM "{Pending}" p JOIN "Media" m ON m."Id" = p."MediaId") AS "Value"
            """).SingleAsync(ct);
    }

    /// <summary>Runs <paramref name="work"/> in the context's transaction if it has one (the index then changes with the caller's rows), else in its own.</summary>
    private static async Task<T> InTransactionAsync<T>(VodDbContext db, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            if (db.Database.CurrentTransaction?.GetDbTransaction() is NpgsqlTransaction current)
            {
                return await work(connection, current);
            }
            await using var own = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, own);
            await own.CommitAsync(ct);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
