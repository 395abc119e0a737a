using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;

namespace VodConsole.Bench;

/// <summary>
/// Media library with 1,000,000 media rows over 51 applications (issue #4 item 8: a page in 10 ms or less, a full-text
/// search in 20 ms or less). The generated database is kept in bench/data and reused while it has the expected rows.
/// </summary>
internal static class MediaBench
{
    internal const int Rows = 1_000_000;
    private const int SubApplications = 50;
    private const int CategoriesPerApplication = 8;
    private const int BatchRows = 50_000;
    internal const int PageSize = 20; // as the media library page
    internal const int DeepPage = 500;

    /// <param name="rows">The media rows of the data set (a smaller one on a busy machine: <c>--rows N</c>).</param>
    /// <param name="postgres">
    /// A PostgreSQL server (an Npgsql connection string to any database on it, <c>--postgres "..."</c>): the same data,
    /// copied there by copy-db's <see cref="PostgresCopy"/> into a database of its own (<c>vodbench_media_{rows}</c>, kept and
    /// reused), is measured beside SQLite, each case's calls alternating between the two engines.
    /// </param>
    public static async Task RunAsync(bool explain, bool fresh, int rows = Rows, string? postgres = null)
    {
        var capture = new SqlCapture();
        await using var database = await OpenAsync(rows, fresh, capture);
        if (database is null)
        {
            return;
        }
        var engines = new List<Engine> { new("SQLite", database.Provider) };
        await using var onPostgres = postgres is null ? null : await PostgresCopyAsync(database, rows, postgres, fresh);
        if (onPostgres is not null)
        {
            engines.Add(new("PostgreSQL", onPostgres));
        }
        await MeasureAsync(engines, database.Path, capture, explain);
    }

    /// <summary>An engine the cases run on: its name and the console's services over its copy of the data.</summary>
    internal sealed record Engine(string Name, ServiceProvider Provider);

    /// <summary>
    /// The console's services over a PostgreSQL copy of the SQLite data set, made with copy-db's code the first time (or
    /// with --fresh, or when the copy is of an older data set: same row count, other applications) and reused otherwise.
    /// </summary>
    internal static async Task<ServiceProvider> PostgresCopyAsync(Database sqlite, int rows, string server, bool fresh)
    {
        var name = $"vodbench_media_{rows}";
        var target = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        var (largest, largestCount) = await LargestApplicationAsync(sqlite.Path);
        var (existing, ofLargest) = fresh ? (0L, 0L) : await PostgresMediaCountsAsync(server, name, largest);
        var reuse = existing == rows && ofLargest == largestCount;
        if (!reuse)
        {
            if (existing != 0)
            {
                Console.WriteLine($"PostgreSQL database {name} holds another data set ({existing:N0} media rows, {ofLargest:N0} of application "
                    + $"{largest}): copying afresh");
            }
            await using var maintenance = new NpgsqlConnection(server);
            await maintenance.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", maintenance);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", maintenance);
            await create.ExecuteNonQueryAsync();
        }
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(Path.GetDirectoryName(sqlite.Path)!, "media")));
        services.AddVodConsoleCore(DatabaseOptions.Postgres(target));
        var provider = services.BuildServiceProvider();
        if (reuse)
        {
            Console.WriteLine($"Reusing PostgreSQL database {name} ({existing:N0} media rows)");
        }
        else
        {
            var copy = Stopwatch.StartNew();
            var result = await new PostgresCopy(
                    sqlite.Provider.GetRequiredService<DatabaseOptions>(), sqlite.Provider.GetRequiredService<IDbContextFactory<VodDbContext>>(),
                    sqlite.Provider.System<InstanceRegistry>(), target)
                .RunAsync((table, copied, total) => Console.Write($"\r{table,-28} {copied,12:N0} / {total:N0}   "));
            Console.WriteLine();
            if (!result.Committed)
            {
                await provider.DisposeAsync();
                throw new InvalidOperationException("The copy's row counts differ: " + string.Join(", ", result.Tables.Where(t => !t.Matches)));
            }
            Console.WriteLine($"Copied into PostgreSQL database {name} with copy-db's code in {copy.Elapsed.TotalSeconds:0} s (search index and VACUUM ANALYZE included)");
        }
        await provider.System<DatabaseInitializer>().InitializeAsync();
        return provider;
    }

    /// <summary>The media rows of the PostgreSQL copy, and those of one application (0, 0 when it is missing or empty).</summary>
    private static async Task<(long All, long OfApplication)> PostgresMediaCountsAsync(string server, string name, long applicationId)
    {
        await using (var maintenance = new NpgsqlConnection(server))
        {
            await maintenance.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", maintenance);
            exists.Parameters.AddWithValue("name", name);
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                return (0, 0);
            }
        }
        // Not pooled: a copy afresh drops this database with its sessions, and a pooled one would be handed out dead later.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var migrated = new NpgsqlCommand("""SELECT to_regclass('"Media"') IS NOT NULL""", connection);
        if (!(bool)(await migrated.ExecuteScalarAsync())!)
        {
            return (0, 0);
        }
        await using var count = new NpgsqlCommand("""SELECT count(*), count(*) FILTER (WHERE "ApplicationId" = @id) FROM "Media" """, connection);
        count.Parameters.AddWithValue("id", applicationId);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The console's services over the generated database of <paramref name="rows"/> media rows.</summary>
    internal sealed record Database(ServiceProvider Provider, string Path) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }

    /// <summary>
    /// Opens the media database of <paramref name="rows"/> rows in bench/data (media-1m.db for a million, media-{rows}.db
    /// otherwise), generating it first if it is empty; null when it holds another number of rows.
    /// </summary>
    internal static async Task<Database?> OpenAsync(int rows, bool fresh, DbCommandInterceptor? capture = null)
    {
        var dataDirectory = Path.Combine(RepositoryRoot(), "bench", "data");
        Directory.CreateDirectory(dataDirectory);
        var name = rows == Rows ? "media-1m.db" : $"media-{rows}.db";
        var path = Path.Combine(dataDirectory, name);
        if (fresh)
        {
            DeleteDatabase(path);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(dataDirectory, "media")));
        services.AddVodConsoleCore(DatabaseOptions.Sqlite($"Data Source={path}"));
        if (capture is not null)
        {
            services.ConfigureDbContext<VodDbContext>(options => options.AddInterceptors(capture));
        }
        var provider = services.BuildServiceProvider();
        T Get<T>() where T : notnull => provider.System<T>();

        var start = Stopwatch.StartNew();
        await Get<DatabaseInitializer>().InitializeAsync();
        Console.WriteLine($"Initialised (migrations, search index check) in {start.Elapsed.TotalSeconds:0.0} s");
        long existing;
        await using (var db = await Get<ApplicationData>().OpenSystemWideAsync())
        {
            existing = await db.Media.LongCountAsync();
        }
        if (existing != rows)
        {
            if (existing != 0)
            {
                Console.WriteLine($"bench/data/{name} has {existing:N0} media rows, not {rows:N0}: run with --fresh.");
                await provider.DisposeAsync();
                return null;
            }
            await GenerateAsync(provider, path, rows);
        }
        else
        {
            Console.WriteLine($"Reusing {path} ({new FileInfo(path).Length / 1_000_000:N0} MB)");
        }
        return new Database(provider, path);
    }

    /// <summary>The application with the most media rows, and how many it has.</summary>
    internal static async Task<(long ApplicationId, int Count)> LargestApplicationAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ApplicationId, COUNT(*) FROM Media GROUP BY ApplicationId ORDER BY 2 DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private static async Task GenerateAsync(ServiceProvider provider, string path, int rows)
    {
        T Get<T>() where T : notnull => provider.System<T>();
        var total = Stopwatch.StartNew();

        // Applications and categories through the real services.
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            // An administrator, so the access policy lets the bench's scopes (which act for this user) create categories.
            db.Users.Add(new ConsoleUser { UserName = "owner", IsOwner = true, IsAdministrator = true });
            await db.SaveChangesAsync();
            await Get<AccountService>().EnableSubApplicationsAsync(db.Users.Single().Id);
        }
        for (var i = 1; i <= SubApplications; i++)
        {
            await Get<ApplicationService>().CreateSubApplicationAsync($"Bench {i:00}", null);
        }
        var applications = await Get<ApplicationService>().ListAsync();
        var categories = new Dictionary<long, long[]>();
        foreach (var application in applications)
        {
            var scope = await InApplicationAsync(provider, application.Id);
            var service = scope.GetRequiredService<MediaCategories>();
            var ids = new long[CategoriesPerApplication];
            for (var c = 0; c < ids.Length; c++)
            {
                ids[c] = (await service.CreateAsync($"Category {c + 1}")).Id;
            }
            categories[application.Id] = ids;
        }
        var appIds = applications.Select(a => a.Id).ToArray();
        Console.WriteLine($"{appIds.Length} applications with {CategoriesPerApplication} categories each in {total.Elapsed.TotalSeconds:0.0} s");

        // Media rows: raw prepared INSERTs, one transaction per 50,000 rows. The search triggers are dropped for the
        // load; IMediaSearchIndex.EnsureAsync finds them missing and rebuilds the index in one statement.
        var insert = Stopwatch.StartNew();
        var vocabulary = new Vocabulary();
        var random = new Random(20261124);
        var end = DateTime.UtcNow.Date;
        var begin = end.AddYears(-3);
        var step = (end - begin).Ticks / rows;
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await Execute(connection, "DROP TRIGGER IF EXISTS MediaSearchInsert; DROP TRIGGER IF EXISTS MediaSearchDelete; DROP TRIGGER IF EXISTS MediaSearchUpdate;");
            await Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
            var columns = new[]
            {
                "ApplicationId", "Title", "Description", "Tags", "CategoryId", "Status", "FailureReason", "OriginalFileName",
                "ContentType", "SizeBytes", "StorageKey", "CoverKey", "DurationSeconds", "Width", "Height", "CreatedAt",
                "ModifiedAt", "Version",
            };
            for (var done = 0; done < rows; done += BatchRows)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"INSERT INTO Media ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
                var p = columns.ToDictionary(c => c, c => command.Parameters.Add(new SqliteParameter("$" + c, null)));
                command.Prepare();
                for (var i = done; i < Math.Min(rows, done + BatchRows); i++)
                {
                    var applicationId = appIds[random.Next(appIds.Length)];
                    var title = Capitalize(vocabulary.Sentence(random, random.Next(2, 7)))
                        + (random.Next(4) == 0 ? $" {random.Next(1, 200)}" : "");
                    var status = random.Next(100) switch { < 92 => MediaStatus.Normal, < 96 => MediaStatus.Processing, _ => MediaStatus.Failed };
                    var created = begin.AddTicks(step * i + random.NextInt64(-TimeSpan.TicksPerHour, TimeSpan.TicksPerHour));
                    var video = random.Next(10) < 8;
                    p["ApplicationId"].Value = applicationId;
                    p["Title"].Value = title;
                    p["Description"].Value = random.Next(5) == 0 ? "" : Capitalize(vocabulary.Sentence(random, random.Next(8, 41))) + ".";
                    p["Tags"].Value = string.Join(MediaTags.Separator,
                        Enumerable.Range(0, random.Next(0, 5)).Select(_ => vocabulary[(int)(300 * Math.Pow(random.NextDouble(), 2))]).Distinct());
                    p["CategoryId"].Value = random.Next(10) < 6 ? categories[applicationId][random.Next(CategoriesPerApplication)] : DBNull.Value;
                    p["Status"].Value = status.ToString();
                    p["FailureReason"].Value = status == MediaStatus.Failed ? "ffprobe could not read the file." : DBNull.Value;
                    p["OriginalFileName"].Value = title + (video ? ".mp4" : ".mp3");
                    p["ContentType"].Value = video ? "video/mp4" : "audio/mpeg";
                    // Log-uniform from 1 MB to 4 GB.
                    p["SizeBytes"].Value = (long)Math.Exp(Math.Log(1e6) + random.NextDouble() * (Math.Log(4e9) - Math.Log(1e6)));
                    p["StorageKey"].Value = $"{applicationId}/{Guid.NewGuid():N}";
                    var normal = status == MediaStatus.Normal;
                    p["CoverKey"].Value = normal && video ? $"{applicationId}/{Guid.NewGuid():N}.jpg" : DBNull.Value;
                    p["DurationSeconds"].Value = normal ? Math.Round(random.NextDouble() * 7200, 3) : DBNull.Value;
                    p["Width"].Value = normal && video ? 1920 : DBNull.Value;
                    p["Height"].Value = normal && video ? 1080 : DBNull.Value;
                    p["CreatedAt"].Value = created;
                    p["ModifiedAt"].Value = created.AddMinutes(random.Next(0, 60));
                    p["Version"].Value = 1L;
                    await command.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
                Console.Write($"\r{Math.Min(rows, done + BatchRows):N0} rows, {insert.Elapsed.TotalSeconds:0} s   ");
            }
            Console.WriteLine();
        }
        var inserted = insert.Elapsed;

        var index = Stopwatch.StartNew();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            await provider.GetRequiredService<IMediaSearchIndex>().EnsureAsync(db);
        }
        var indexed = index.Elapsed;
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        Console.WriteLine($"Generated {rows:N0} media rows: insert {inserted.TotalSeconds:0} s (one transaction per {BatchRows:N0} rows, "
            + $"search triggers dropped), search index rebuild {indexed.TotalSeconds:0} s, total {total.Elapsed.TotalSeconds:0} s, "
            + $"file {new FileInfo(path).Length / 1_000_000:N0} MB");
    }

    private static async Task MeasureAsync(IReadOnlyList<Engine> engines, string path, SqlCapture capture, bool explain)
    {
        var (applicationId, count) = await LargestApplicationAsync(path);
        var libraries = new List<MediaLibrary>();
        foreach (var engine in engines)
        {
            libraries.Add((await InApplicationAsync(engine.Provider, applicationId)).GetRequiredService<MediaLibrary>());
        }
        var category = (await (await InApplicationAsync(engines[0].Provider, applicationId)).GetRequiredService<MediaCategories>().ListAsync()).First();
        var vocabulary = new Vocabulary();
        var common = vocabulary[12];
        var second = vocabulary[40];
        var rare = vocabulary[2500];
        var prefix = vocabulary[30][..3];
        var tag = vocabulary[5];

        Console.WriteLine($"Application {applicationId}: {count:N0} media rows (largest of 51); page size {PageSize}; 200 runs after 20 warm-up runs"
            + (engines.Count > 1 ? $", the calls alternating between {engines[0].Name} and {engines[1].Name}" : ""));
        Console.WriteLine(engines.Count > 1
            ? $"| case | rows matching | {engines[0].Name}: median | p95 | max | {engines[1].Name}: median | p95 | max |"
            : "| case | rows matching | median | p95 | max |");
        Console.WriteLine(engines.Count > 1 ? "| --- | --- | --- | --- | --- | --- | --- | --- |" : "| --- | --- | --- | --- | --- |");

        async Task Case(string name, MediaQuery query, int page = 1)
        {
            // Each engine walks to the page itself: a relevance cursor holds its engine's rank.
            var cursors = new List<MediaCursor?>();
            var matching = new List<int>();
            for (var e = 0; e < engines.Count; e++)
            {
                MediaCursor? cursor = null;
                for (var i = 1; i < page; i++)
                {
                    cursor = (await libraries[e].PageAsync(query, cursor, PageSize)).Next
                        ?? throw new InvalidOperationException($"{name} on {engines[e].Name}: fewer than {page} pages");
                }
                if ((await libraries[e].PageAsync(query, cursor, PageSize)).Items.Count == 0)
                {
                    throw new InvalidOperationException($"{name} on {engines[e].Name}: empty page");
                }
                cursors.Add(cursor);
                matching.Add(await CountAsync(engines[e].Provider, applicationId, query));
            }
            // The same data: both engines must find the same rows, or their timings compare different work.
            var rows = matching.Distinct().Count() == 1 ? $"{matching[0]:N0}" : string.Join(" / ", matching.Select(m => $"{m:N0}"));
            if (engines.Count > 1)
            {
                var (first, second) = await Timing.CompareAsync(
                    () => libraries[0].PageAsync(query, cursors[0], PageSize), () => libraries[1].PageAsync(query, cursors[1], PageSize), runs: 200, warmUp: 20);
                Console.WriteLine($"| {name} | {rows} | {Timing.Format(first)} | {Timing.Format(second)} |");
            }
            else
            {
                var result = await Timing.MeasureAsync(() => libraries[0].PageAsync(query, cursors[0], PageSize));
                Console.WriteLine($"| {name} | {rows} | {Timing.Format(result)} |");
            }
            if (explain)
            {
                // One more call, to show every query it runs (the page's keys, then its items); SQLite's plans only.
                capture.Clear();
                await libraries[0].PageAsync(query, cursors[0], PageSize);
                await capture.ExplainAsync(path);
            }
        }

        await Case("first page, newest", new MediaQuery());
        await Case($"page {DeepPage}, newest", new MediaQuery(), DeepPage);
        await Case("first page, oldest", new MediaQuery(Sort: MediaSort.Oldest));
        await Case("first page, title", new MediaQuery(Sort: MediaSort.Title));
        await Case($"page {DeepPage}, title", new MediaQuery(Sort: MediaSort.Title), DeepPage);
        await Case("first page, largest", new MediaQuery(Sort: MediaSort.Largest));
        await Case($"page {DeepPage}, largest", new MediaQuery(Sort: MediaSort.Largest), DeepPage);
        await Case("status Failed, newest", new MediaQuery(Status: MediaStatus.Failed));
        await Case("status Failed, page 20, newest", new MediaQuery(Status: MediaStatus.Failed), 20);
        await Case($"category \"{category.Name}\", newest", new MediaQuery(Category: new MediaCategoryFilter(category.Id)));
        await Case("uncategorised, title", new MediaQuery(Category: new MediaCategoryFilter(null), Sort: MediaSort.Title));
        await Case($"tag \"{tag}\", newest", new MediaQuery(Tag: tag));
        await Case($"search \"{common}\" (common), relevance", new MediaQuery(common, Sort: MediaSort.Relevance));
        await Case($"search \"{common}\" (common), newest", new MediaQuery(common));
        await Case($"search \"{common}\" (common), page 50, relevance", new MediaQuery(common, Sort: MediaSort.Relevance), 50);
        await Case($"search \"{rare}\" (rare), relevance", new MediaQuery(rare, Sort: MediaSort.Relevance));
        await Case($"search \"{rare}\" (rare), newest", new MediaQuery(rare));
        await Case($"search \"{common} {second}\" (two words), relevance", new MediaQuery($"{common} {second}", Sort: MediaSort.Relevance));
        await Case($"search \"{common} {second}\" (two words), newest", new MediaQuery($"{common} {second}"));
        await Case($"search \"{prefix}\" (prefix), relevance", new MediaQuery(prefix, Sort: MediaSort.Relevance));
        await Case($"search \"{prefix}\" (prefix), newest", new MediaQuery(prefix));
        await Case($"search \"{common}\" + status Normal + tag \"{tag}\", newest", new MediaQuery(common, MediaStatus.Normal, Tag: tag));
    }

    /// <summary>How many of the application's media a query matches (walks all pages of 100).</summary>
    private static async Task<int> CountAsync(ServiceProvider provider, long applicationId, MediaQuery query)
    {
        var library = (await InApplicationAsync(provider, applicationId)).GetRequiredService<MediaLibrary>();
        var total = 0;
        MediaCursor? cursor = null;
        do
        {
            var page = await library.PageAsync(query, cursor, MediaLibrary.MaxPageSize);
            total += page.Items.Count;
            cursor = page.Next;
        } while (cursor is not null);
        return total;
    }

    /// <summary>A scope whose role is this application, for the administrator owner, as a circuit has after the layout resolved it (see TestConsole).</summary>
    internal static async Task<IServiceProvider> InApplicationAsync(ServiceProvider provider, long applicationId)
    {
        var scope = provider.CreateScope().ServiceProvider;
        string ownerId;
        await using (var db = await scope.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            ownerId = await db.Users.Where(u => u.IsOwner).Select(u => u.Id).SingleAsync();
        }
        // The owner's roles as the console resolves them at sign-in (listing applications itself needs a signed-in administrator).
        var catalog = (await scope.GetRequiredService<RoleResolver>().LoadCatalogAsync(ownerId))!;
        scope.GetRequiredService<RoleContext>().Enter(catalog, catalog.Roles.Single(r => r.ApplicationId == applicationId));
        return scope;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VodConsole.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Run the bench from the repository (VodConsole.sln not found above the build output).");
    }

    /// <summary>Keeps the queries EF ran since the last <see cref="Clear"/>, to show their SQL and SQLite's plans (--explain).</summary>
    private sealed class SqlCapture : DbCommandInterceptor
    {
        private readonly List<(string Text, List<(string Name, object? Value)> Parameters)> queries = [];

        public void Clear() => queries.Clear();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            queries.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
            return ValueTask.FromResult(result);
        }

        public async Task ExplainAsync(string path)
        {
            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            foreach (var (text, parameters) in queries)
            {
                Console.WriteLine("```sql");
                Console.WriteLine(text);
                Console.WriteLine(string.Join(", ", parameters.Select(p => $"{p.Name} = {p.Value}")));
                await using var command = connection.CreateCommand();
                command.CommandText = "EXPLAIN QUERY PLAN " + text;
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                }
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    Console.WriteLine($"-- {reader.GetInt32(0)} {reader.GetInt32(1)} {reader.GetString(3)}");
                }
                Console.WriteLine("```");
            }
        }
    }
}
