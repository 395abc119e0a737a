using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Bench;

/// <summary>
/// Issue #15 item 1: every case measured twice in one process on the same database, alternating, VodConsole's way and
/// the stock way a typical application would use; prints both medians and their ratio (stock / ours).
/// </summary>
internal static class StockBench
{
    private const int MediaRuns = 100;
    private const int OverviewRuns = 20;

    public static async Task RunAsync(int rows, int rawDays, bool fresh, string? postgres)
    {
        Console.WriteLine($"Machine load at start (uptime): {Load()}");
        await MediaAsync(rows, fresh, postgres);
        await OverviewAsync(rawDays);
        Console.WriteLine($"Machine load at end (uptime): {Load()}");
    }

    internal static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    /// <summary>
    /// Keyset pages and the full-text index against OFFSET pages and LIKE '%word%' (EF Core, the isolated context), on
    /// SQLite and, with <paramref name="postgres"/>, on the same data copied into PostgreSQL (see <see cref="MediaBench"/>).
    /// </summary>
    private static async Task MediaAsync(int rows, bool fresh, string? postgres)
    {
        await using var database = await MediaBench.OpenAsync(rows, fresh);
        if (database is null)
        {
            return;
        }
        var (applicationId, count) = await MediaBench.LargestApplicationAsync(database.Path);
        var engines = new List<MediaBench.Engine> { new("SQLite", database.Provider) };
        await using var onPostgres = postgres is null ? null : await MediaBench.PostgresCopyAsync(database, rows, postgres, fresh);
        if (onPostgres is not null)
        {
            engines.Add(new("PostgreSQL", onPostgres));
        }
        foreach (var engine in engines)
        {
            Console.WriteLine();
            Console.WriteLine($"Media on {engine.Name}: {rows:N0} rows, application {applicationId} ({count:N0} rows, the largest); "
                + $"page size {MediaBench.PageSize}; {MediaRuns} runs of each way, alternating, after 10 warm-up runs");
            await MediaCasesAsync(engine, applicationId);
        }
    }

    private static async Task MediaCasesAsync(MediaBench.Engine engine, long applicationId)
    {
        var scope = await MediaBench.InApplicationAsync(engine.Provider, applicationId);
        var library = scope.GetRequiredService<MediaLibrary>();
        var data = scope.GetRequiredService<ApplicationData>();
        var onPostgres = engine.Name == "PostgreSQL";
        var vocabulary = new Vocabulary();
        var common = vocabulary[12];
        var rare = vocabulary[2500];
        const int size = MediaBench.PageSize;

        // The stock page: the same isolated context and index, OFFSET instead of a cursor, LIKE instead of the index
        // (on PostgreSQL ILIKE, as SQLite's LIKE ignores case; the title's case-insensitive collation refuses LIKE, so
        // the stock way matches it under the database's default collation).
        async Task<List<long>> StockPageAsync(int page, string? word)
        {
            await using var db = await data.OpenAsync();
            var query = db.Media.AsNoTracking().Where(m => m.ApplicationId == applicationId);
            if (word is not null)
            {
                var pattern = $"%{word}%";
                query = onPostgres
                    ? query.Where(m => EF.Functions.ILike(EF.Functions.Collate(m.Title, "default"), pattern)
                        || EF.Functions.ILike(m.Description, pattern) || EF.Functions.ILike(m.Tags, pattern))
                    : query.Where(m => EF.Functions.Like(m.Title, pattern) || EF.Functions.Like(m.Description, pattern)
                        || EF.Functions.Like(m.Tags, pattern));
            }
            var items = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                .Skip((page - 1) * size).Take(size + 1).ToListAsync(); // one more: is there a next page
            return items.Take(size).Select(m => m.Id).ToList();
        }

        Console.WriteLine("| case | VodConsole median | p95 | stock median | p95 | ratio (stock / VodConsole) | same page |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");

        async Task CaseAsync(string name, string stockName, MediaQuery query, int page, string? word)
        {
            MediaCursor? cursor = null;
            for (var i = 1; i < page; i++)
            {
                cursor = (await library.PageAsync(query, cursor, size)).Next
                    ?? throw new InvalidOperationException($"{name}: fewer than {page} pages");
            }
            var ours = (await library.PageAsync(query, cursor, size)).Items.Select(m => m.Id).ToList();
            var stock = await StockPageAsync(page, word);
            // Equal for plain pages; a search differs where LIKE matches inside a word and the index matches whole words or
            // prefixes, and a relevance page is in another order than the stock way (which cannot rank) gives.
            var same = query.Sort == MediaSort.Relevance ? "other order"
                : ours.SequenceEqual(stock) ? "yes" : $"no ({ours.Intersect(stock).Count()} of {size} shared)";
            var (o, s) = await Timing.CompareAsync(() => library.PageAsync(query, cursor, size), () => StockPageAsync(page, word), MediaRuns);
            Console.WriteLine($"| {name} vs {stockName} | {o.Median:0.00} ms | {o.P95:0.00} ms | {s.Median:0.00} ms | {s.P95:0.00} ms | "
                + $"**{s.Median / o.Median:0.0}×** | {same} |");
        }

        await CaseAsync("page 1, newest: keyset", "Skip/Take", new MediaQuery(), 1, null);
        await CaseAsync($"page {MediaBench.DeepPage}, newest: keyset", "Skip/Take", new MediaQuery(), MediaBench.DeepPage, null);
        await CaseAsync($"search \"{common}\" (common word), newest: full-text index", "LIKE '%word%' on title, description, tags",
            new MediaQuery(common), 1, common);
        await CaseAsync($"search \"{common}\" (common word), page 50: full-text index + keyset", "LIKE + Skip/Take",
            new MediaQuery(common), 50, common);
        await CaseAsync($"search \"{rare}\" (rare word), newest: full-text index", "LIKE '%word%' on title, description, tags",
            new MediaQuery(rare), 1, rare);
        // The library page sorts a search by relevance; the stock way has no rank and shows its newest matches.
        await CaseAsync($"search \"{common}\" (common word), relevance (the page's order for a search)", "LIKE, newest",
            new MediaQuery(common, Sort: MediaSort.Relevance), 1, common);
        await CaseAsync($"search \"{rare}\" (rare word), relevance", "LIKE, newest",
            new MediaQuery(rare, Sort: MediaSort.Relevance), 1, rare);
    }

    /// <summary>
    /// The Admin overview from daily roll-ups against the same figures summed from raw per-event rows (one row per play,
    /// one per traffic report of up to 8 MB, as the playback endpoint reports), generated for the last
    /// <paramref name="rawDays"/> days from the roll-ups' own figures and scaled to the overview's window.
    /// </summary>
    private static async Task OverviewAsync(int rawDays)
    {
        var directory = Directory.CreateTempSubdirectory("vodconsole-bench-stock-");
        var path = Path.Combine(directory.FullName, "bench.db");
        try
        {
            await using var provider = await OverviewBench.BuildAsync(path);
            var report = provider.System<ServiceOverviewReport>();
            var accounts = provider.System<AccountService>();
            var applications = provider.System<ApplicationService>();

            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var chartFrom = today.AddDays(1 - ServiceOverviewReport.ChartDays);
            var monthStart = new DateOnly(today.Year, today.Month, 1);
            var windowFrom = monthStart < chartFrom ? monthStart : chartFrom;
            var windowDays = today.DayNumber - windowFrom.DayNumber + 1;
            var events = await RawEventsAsync(provider, path, today, rawDays);

            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            var monthFrom = Seconds(monthStart);
            var seriesFrom = Seconds(chartFrom);

            // What the overview shows of playback, summed from the raw rows: this month per application (traffic,
            // plays, peak minute), the account's peak minute, and the 30-day daily traffic series. Account, application
            // list and levels as VodConsole reads them (the raw design would sum media rows for storage: left out, in
            // the stock way's favour).
            async Task StockAsync()
            {
                await accounts.GetAsync();
                await applications.ListAsync();
                await ReadAllAsync(connection, "SELECT ApplicationId, SUM(Bytes), SUM(IsPlay) FROM PlaybackEvents WHERE At >= $from GROUP BY ApplicationId", monthFrom);
                await ReadAllAsync(connection, "SELECT ApplicationId, MAX(Bytes) FROM (SELECT ApplicationId, At / 60, SUM(Bytes) AS Bytes FROM PlaybackEvents "
                    + "WHERE At >= $from GROUP BY ApplicationId, At / 60) GROUP BY ApplicationId", monthFrom);
                await ReadAllAsync(connection, "SELECT MAX(Bytes) FROM (SELECT SUM(Bytes) AS Bytes FROM PlaybackEvents WHERE At >= $from GROUP BY At / 60)", monthFrom);
                await ReadAllAsync(connection, "SELECT At / 86400, SUM(Bytes) FROM PlaybackEvents WHERE At >= $from GROUP BY At / 86400", seriesFrom);
            }

            var (o, s) = await Timing.CompareAsync(() => report.LoadAsync(), StockAsync, OverviewRuns, warmUp: 3);
            var scaled = s.Median * windowDays / rawDays;
            Console.WriteLine();
            Console.WriteLine($"Admin overview: {OverviewBench.SubApplications + 1} applications, {OverviewBench.Days} days of roll-ups; raw rows: "
                + $"{events:N0} for the last {rawDays} day(s), scaled ×{windowDays / (double)rawDays:0.#} to the overview's {windowDays}-day window "
                + $"(this month and the 30-day chart); {OverviewRuns} runs of each way, alternating, after 3 warm-up runs");
            Console.WriteLine("| case | VodConsole median | p95 | stock median, measured | p95 | stock median, scaled | ratio (scaled stock / VodConsole) |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine($"| overview: roll-ups vs raw per-event rows | {o.Median:0.00} ms | {o.P95:0.00} ms | {s.Median:0.00} ms ({rawDays} d) | "
                + $"{s.P95:0.00} ms | {scaled:0} ms ({windowDays} d) | **{scaled / o.Median:0}×** |");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Fills a PlaybackEvents table (bench only, not the console's schema) with the rows a naive design would keep for
    /// the last <paramref name="days"/> days, matching each application's daily plays and traffic roll-ups.
    /// </summary>
    private static async Task<long> RawEventsAsync(ServiceProvider provider, string path, DateOnly today, int days)
    {
        const long reportBytes = 8L * 1024 * 1024;
        var watch = Stopwatch.StartNew();
        List<DailyUsage> usage;
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            var from = today.AddDays(1 - days);
            usage = await db.DailyUsage.AsNoTracking()
                .Where(u => u.Day >= from && (u.Metric == UsageMetric.Plays || u.Metric == UsageMetric.TrafficBytes)).ToListAsync();
        }
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE PlaybackEvents (Id INTEGER PRIMARY KEY, ApplicationId INTEGER NOT NULL, "
            + "At INTEGER NOT NULL, Bytes INTEGER NOT NULL, IsPlay INTEGER NOT NULL)");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO PlaybackEvents (ApplicationId, At, Bytes, IsPlay) VALUES ($app, $at, $bytes, $play)";
        var app = insert.Parameters.Add("$app", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var bytes = insert.Parameters.Add("$bytes", SqliteType.Integer);
        var play = insert.Parameters.Add("$play", SqliteType.Integer);
        insert.Prepare();
        var random = new Random(20261127);
        long count = 0;
        foreach (var day in usage)
        {
            var dayStart = Seconds(day.Day);
            var isPlay = day.Metric == UsageMetric.Plays;
            var rowsOfDay = isPlay ? day.Value : (day.Value + reportBytes - 1) / reportBytes;
            for (long i = 0; i < rowsOfDay; i++)
            {
                app.Value = day.ApplicationId;
                at.Value = dayStart + random.Next(86_400);
                bytes.Value = isPlay ? 0 : Math.Min(reportBytes, day.Value - i * reportBytes);
                play.Value = isPlay ? 1 : 0;
                await insert.ExecuteNonQueryAsync();
                count++;
            }
        }
        await transaction.CommitAsync();
        // The stock way at its best: an index that covers every query, so none reads the table.
        await ExecuteAsync(connection, "CREATE INDEX IX_PlaybackEvents_At ON PlaybackEvents (At, ApplicationId, Bytes, IsPlay); ANALYZE;");
        Console.WriteLine($"Raw playback rows: {count:N0} for {days} day(s), inserted and indexed in {watch.Elapsed.TotalSeconds:0.0} s");
        return count;
    }

    private static long Seconds(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ReadAllAsync(SqliteConnection connection, string sql, long from)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", from);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }
}
