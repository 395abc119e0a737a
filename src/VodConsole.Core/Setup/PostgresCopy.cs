using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media.Search;

namespace VodConsole.Core.Setup;

/// <summary>One table after a copy: its rows in the SQLite source and in the PostgreSQL target.</summary>
public sealed record CopiedTable(string Table, long SourceRows, long TargetRows)
{
    public bool Matches => SourceRows == TargetRows;
}

/// <summary>What a copy did: every table's counts, and whether it was committed (only when every count matches).</summary>
public sealed record CopyResult(IReadOnlyList<CopiedTable> Tables, bool Committed);

/// <summary>The copy cannot start (the target is not empty, the source is not SQLite, ...): nothing was written.</summary>
public sealed class CopyRefusedException(string message) : Exception(message);

/// <summary>
/// Copies a SQLite installation into an empty PostgreSQL database (the <c>copy-db</c> command, the move from one machine
/// to several). The tables are the EF model's, not a list kept here, so a table added to the model is copied too; they
/// are copied in foreign-key order, ids kept, each streamed from one SQLite read transaction (one consistent snapshot,
/// never a whole table in memory) into PostgreSQL's binary <c>COPY</c>, all in one PostgreSQL transaction that commits
/// only when every table's row count matches: a failure leaves the target as empty as it was. Data Protection keys are
/// a table like the others, so cookies and encrypted secrets stay readable. What PostgreSQL derives is made afterwards in
/// the same transaction: identity sequences continue after the highest id, and the media search index is built; the
/// planner's statistics and visibility map are made once committed.
/// </summary>
/// <param name="sourceFactory">The installation's own contexts (SQLite), as its services make them.</param>
/// <param name="sourceInstances">The installation's live servers: a copy while one runs would leave its later writes behind.</param>
public sealed class PostgresCopy(
    DatabaseOptions source, IDbContextFactory<VodDbContext> sourceFactory, InstanceRegistry sourceInstances, string targetConnectionString)
{
    /// <summary>How often, in rows, a table's progress is reported.</summary>
    public const int ProgressEvery = 10_000;

    /// <summary>
    /// Runs the copy; <paramref name="progress"/> hears (table, rows copied, rows in total) at a table's start, every
    /// <see cref="ProgressEvery"/> rows and at its end.
    /// </summary>
    public async Task<CopyResult> RunAsync(Action<string, long, long> progress, CancellationToken ct = default)
    {
        if (source.IsSqlite is false)
        {
            throw new CopyRefusedException("copy-db copies a SQLite installation, and this configuration's Database:Provider is Postgres. Run it with the SQLite installation's configuration.");
        }
        if (await sourceInstances.OthersAliveAsync(ct) is [_, ..] running)
        {
            throw new CopyRefusedException(
                $"A console server is running on this database (instance {string.Join(", ", running)}), so nothing was copied: "
                + "what it writes after the copy starts would not reach PostgreSQL. Stop every server on it and run the command again "
                + $"(a server that was killed on another machine counts as stopped once its heartbeat runs out, within {sourceInstances.AliveFor.TotalSeconds:0} seconds).");
        }
        // Long tables take longer than a command's default 30 s.
        var settings = new NpgsqlConnectionStringBuilder(targetConnectionString) { CommandTimeout = 0 };
        var target = DatabaseOptions.Postgres(settings.ToString());
        // The target's contexts as a server on it makes them: the console's registration shapes the model (Identity's options).
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(target);
        await using var targetServices = services.BuildServiceProvider();
        await using var sourceDb = await sourceFactory.CreateDbContextAsync(ct);
        await using var targetDb = await targetServices.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync(ct);
        var tables = TablesInOrder(targetDb.Model, sourceDb.Model);

        var connection = (NpgsqlConnection)targetDb.Database.GetDbConnection();
        try
        {
            await targetDb.Database.OpenConnectionAsync(ct);
        }
        // EF's execution strategy reports a connection it could not open as an InvalidOperationException around Npgsql's.
        catch (Exception failed) when ((failed as NpgsqlException ?? failed.InnerException as NpgsqlException) is { } unreachable)
        {
            throw new CopyRefusedException(
                $"Cannot open the target database {settings.Database} on {settings.Host}:{settings.Port}: {unreachable.Message.TrimEnd('.')}. "
                + "Create it first (an empty database: createdb, or CREATE DATABASE) and check the connection string given with --to.");
        }
        await RefuseNonEmptyAsync(connection, tables, ct);
        // Held to the end: an instance started on the target meanwhile waits, then finds the copy.
        await using var held = await targetServices.GetRequiredService<IStartupLock>().AcquireAsync(ct);
        await targetDb.Database.MigrateAsync(ct);

        await using var transaction = await targetDb.Database.BeginTransactionAsync(ct);
        // No one else writes these tables until the copy commits; checked again under the lock.
        await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", tables.Select(t => Quote(t.Name)))} IN EXCLUSIVE MODE", ct);
        await RefuseNonEmptyAsync(connection, tables, ct);

        await using var sqlite = new SqliteConnection(source.ConnectionString);
        await sqlite.OpenAsync(ct);
        // Deferred: a read snapshot that does not block a running server's writes (it would not see later ones: stop it first).
        await using var snapshot = sqlite.BeginTransaction(deferred: true);
        var sourceRows = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            sourceRows[table.Name] = await CountAsync(snapshot, table.Name, ct);
            await CopyTableAsync(snapshot, connection, table, sourceRows[table.Name], progress, ct);
        }
        await ResetSequencesAsync(connection, tables, ct);
        await targetServices.GetRequiredService<IMediaSearchIndex>().EnsureAsync(targetDb, ct);

        var counts = new List<CopiedTable>();
        foreach (var table in tables)
        {
            counts.Add(new CopiedTable(table.Name, sourceRows[table.Name], await CountAsync(connection, table.Name, ct)));
        }
        var committed = counts.All(c => c.Matches);
        if (committed)
        {
            await transaction.CommitAsync(ct);
            // The planner's statistics and the visibility map of the new rows now, not whenever autovacuum gets to them:
            // the first pages are fast too (index-only scans skip the table only for pages the map marks all-visible).
            await ExecuteAsync(connection, "VACUUM (ANALYZE)", ct);
        }
        else
        {
            await transaction.RollbackAsync(ct);
        }
        return new CopyResult(counts, committed);
    }

    /// <summary>A table of the model and its columns, each with what reads it from SQLite and writes it to PostgreSQL.</summary>
    private sealed record Table(string Name, IReadOnlyList<Column> Columns);

    private sealed record Column(string Name, IProperty SourceProperty, IProperty TargetProperty, string DataTypeName);

    /// <summary>
    /// Every table of the model, each after the tables its foreign keys point to (alphabetical among equals, so the
    /// order is the same every run).
    /// </summary>
    private static List<Table> TablesInOrder(IModel targetModel, IModel sourceModel)
    {
        var entityTypes = targetModel.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.GetViewName() is null && e.GetSqlQuery() is null)
            .GroupBy(e => e.GetTableName()!)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var dependsOn = entityTypes.ToDictionary(
            t => t.Key,
            t => t.Value.SelectMany(e => e.GetForeignKeys()).Select(fk => fk.PrincipalEntityType.GetTableName()!)
                .Where(p => p != t.Key).ToHashSet(StringComparer.Ordinal));
        var ordered = new List<Table>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < entityTypes.Count)
        {
            var next = entityTypes.Keys.Where(t => !done.Contains(t) && dependsOn[t].All(done.Contains)).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? throw new InvalidOperationException("The model's foreign keys form a cycle; copy-db cannot order its tables.");
            done.Add(next);
            ordered.Add(new Table(next, ColumnsOf(next, entityTypes[next], sourceModel)));
        }
        return ordered;
    }

    private static List<Column> ColumnsOf(string table, IEnumerable<IEntityType> entityTypes, IModel sourceModel)
    {
        var store = StoreObjectIdentifier.Table(table);
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var entityType in entityTypes)
        {
            var sourceType = sourceModel.FindEntityType(entityType.Name)
                ?? throw new InvalidOperationException($"The SQLite model has no {entityType.Name}.");
            foreach (var property in entityType.GetProperties())
            {
                var name = property.GetColumnName(store);
                if (name is null || columns.ContainsKey(name))
                {
                    continue;
                }
                var mapping = property.GetRelationalTypeMapping();
                columns[name] = new Column(name, sourceType.GetProperty(property.Name), property, mapping.StoreTypeNameBase);
            }
        }
        return columns.Values.ToList();
    }

    /// <summary>Refuses a target with a row in any of the console's tables (those it has: a new database has none).</summary>
    private static async Task RefuseNonEmptyAsync(NpgsqlConnection target, IReadOnlyList<Table> tables, CancellationToken ct)
    {
        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", target);
            exists.Parameters.AddWithValue("name", Quote(table.Name));
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                continue;
            }
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table.Name)})", target);
            if ((bool)(await any.ExecuteScalarAsync(ct))!)
            {
                holding.Add(table.Name);
            }
        }
        if (holding.Count > 0)
        {
            throw new CopyRefusedException(
                $"The target database {target.Database} on {target.Host}:{target.Port} already holds console data (in {string.Join(", ", holding)}). "
                + "copy-db copies only into an empty database and wrote nothing. Give it a new database (CREATE DATABASE), or drop and create this one if its data is not needed.");
        }
    }

    /// <summary>
    /// Streams one table from the SQLite snapshot into PostgreSQL's binary COPY. Each value goes the way EF reads and
    /// writes it: from SQLite's stored form to the model's value (so a SQLite timestamp becomes the UTC instant it is), then
    /// to PostgreSQL's stored form. Inserting is all an audit entry allows (its triggers refuse UPDATE and DELETE only).
    /// </summary>
    private static async Task CopyTableAsync(
        SqliteTransaction snapshot, NpgsqlConnection target, Table table, long total, Action<string, long, long> progress, CancellationToken ct)
    {
        progress(table.Name, 0, total);
        var columnList = string.Join(", ", table.Columns.Select(c => Quote(c.Name)));
        var readers = table.Columns.Select(c => Reader(c.SourceProperty)).ToArray();
        var fromSource = table.Columns.Select(c => c.SourceProperty.GetRelationalTypeMapping().Converter).ToArray();
        var toTarget = table.Columns.Select(c => c.TargetProperty.GetRelationalTypeMapping().Converter).ToArray();

        await using var select = snapshot.Connection!.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = $"SELECT {columnList} FROM {Quote(table.Name)}";
        await using var rows = await select.ExecuteReaderAsync(ct);
        await using var import = await target.BeginBinaryImportAsync($"COPY {Quote(table.Name)} ({columnList}) FROM STDIN (FORMAT BINARY)", ct);
        long copied = 0;
        while (await rows.ReadAsync(ct))
        {
            await import.StartRowAsync(ct);
            for (var i = 0; i < readers.Length; i++)
            {
                if (rows.IsDBNull(i))
                {
                    await import.WriteNullAsync(ct);
                    continue;
                }
                var value = readers[i](rows, i);
                if (fromSource[i] is { } read)
                {
                    value = read.ConvertFromProvider(value);
                }
                if (toTarget[i] is { } write)
                {
                    value = write.ConvertToProvider(value);
                }
                await import.WriteAsync(value, table.Columns[i].DataTypeName, ct);
            }
            if (++copied % ProgressEvery == 0)
            {
                progress(table.Name, copied, total);
            }
        }
        await import.CompleteAsync(ct);
        progress(table.Name, copied, total);
    }

    /// <summary>Reads a column as the CLR type SQLite's type mapping stores (after which the model's converter, if any, applies).</summary>
    private static Func<SqliteDataReader, int, object> Reader(IProperty property)
    {
        var mapping = property.GetRelationalTypeMapping();
        var stored = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        stored = Nullable.GetUnderlyingType(stored) ?? stored;
        return (Func<SqliteDataReader, int, object>)typeof(PostgresCopy).GetMethod(nameof(ReaderOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(stored).Invoke(null, null)!;
    }

    private static Func<SqliteDataReader, int, object> ReaderOf<T>() where T : notnull => (reader, i) => reader.GetFieldValue<T>(i);

    /// <summary>Identity columns continue after the highest copied id (COPY set the ids, not the sequences).</summary>
    private static async Task ResetSequencesAsync(NpgsqlConnection target, IEnumerable<Table> tables, CancellationToken ct)
    {
        var pairs = tables.SelectMany(t => t.Columns.Select(c => (Table: Quote(t.Name), Column: c.Name))).ToList();
        var sequences = new List<(string Sequence, string Table, string Column)>();
        await using (var find = new NpgsqlCommand(
            "SELECT s, t, c FROM (SELECT t, c, pg_get_serial_sequence(t, c) AS s FROM unnest(@tables, @columns) AS x(t, c)) q WHERE s IS NOT NULL",
            target))
        {
            find.Parameters.AddWithValue("tables", pairs.Select(p => p.Table).ToArray());
            find.Parameters.AddWithValue("columns", pairs.Select(p => p.Column).ToArray());
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                sequences.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        foreach (var (sequence, table, column) in sequences)
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(@sequence, COALESCE((SELECT max({Quote(column)}) FROM {table}), 0) + 1, false)", target);
            reset.Parameters.AddWithValue("sequence", sequence);
            await reset.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<long> CountAsync(SqliteTransaction snapshot, string table, CancellationToken ct)
    {
        await using var command = snapshot.Connection!.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT count(*) FROM {Quote(table)}";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection target, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Quote(table)}", target);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        // No time limit: on a large installation a statement of the copy (VACUUM above all) runs longer than Npgsql's 30 s.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A table or column name as both engines quote it (the model's names never hold a double quote).</summary>
    private static string Quote(string name) => $"\"{name}\"";
}
