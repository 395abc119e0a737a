using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Core.Usage;

namespace VodConsole.Bench;

internal static class OverviewBench
{
    internal const int SubApplications = 50;
    internal const int Days = 731;

    public static async Task RunAsync()
    {
        // Admin Service Overview with 50 sub-applications and two years of daily roll-ups (issue: <= 20 ms).
        const int runs = 200;
        var directory = Directory.CreateTempSubdirectory("vodconsole-bench-");
        await using (var provider = await BuildAsync(Path.Combine(directory.FullName, "bench.db")))
        {
            await MeasureAsync(provider, runs);
        }
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    /// <summary>The console's services over a new database: 50 sub-applications and two years of daily roll-ups.</summary>
    internal static async Task<ServiceProvider> BuildAsync(string path)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(DatabaseOptions.Sqlite($"Data Source={path}"));
        var provider = services.BuildServiceProvider();
        T Get<T>() where T : notnull => provider.System<T>();

        await Get<DatabaseInitializer>().InitializeAsync();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            db.Users.Add(new ConsoleUser { UserName = "owner", IsOwner = true });
            await db.SaveChangesAsync();
            await Get<AccountService>().EnableSubApplicationsAsync(db.Users.Single().Id);
        }
        for (var i = 1; i <= SubApplications; i++)
        {
            await Get<ApplicationService>().CreateSubApplicationAsync($"Bench {i:00}", null);
        }

        var build = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            await db.DailyUsage.ExecuteDeleteAsync();
            var scale = 1;
            foreach (var id in await db.Applications.Select(a => a.Id).ToListAsync())
            {
                // Ninety days of every metric, repeated over two years.
                var rows = History(id, scale++ % 7 + 1, today).ToList();
                db.DailyUsage.AddRange(rows);
                for (var back = HistoryDays; back < Days; back += HistoryDays)
                {
                    db.DailyUsage.AddRange(rows
                        .Select(r => new DailyUsage { ApplicationId = r.ApplicationId, Metric = r.Metric, Day = r.Day.AddDays(-back), Value = r.Value })
                        .Where(r => r.Day > today.AddDays(-Days)));
                }
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
            Console.WriteLine($"Roll-up rows: {await db.DailyUsage.CountAsync():N0} ({SubApplications + 1} applications x {Days} days x 7 metrics), built in {build.Elapsed.TotalSeconds:0.0} s");
        }
        return provider;
    }

    private static async Task MeasureAsync(ServiceProvider provider, int runs)
    {
        var report = provider.System<ServiceOverviewReport>();
        for (var i = 0; i < 20; i++)
        {
            await report.LoadAsync(); // warm-up: JIT, EF query compilation, SQLite page cache
        }
        var timings = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var overview = await report.LoadAsync();
            timings.Add(watch.Elapsed.TotalMilliseconds);
            if (overview.Applications.Count != SubApplications + 1) throw new InvalidOperationException("wrong application count");
        }
        timings.Sort();
        Console.WriteLine($"Admin overview data (ServiceOverviewReport.LoadAsync), {runs} runs: " +
            $"median {timings[runs / 2]:0.00} ms, p95 {timings[(int)(runs * 0.95)]:0.00} ms, max {timings[^1]:0.00} ms");
    }

    private const int HistoryDays = 90;

    /// <summary>
    /// A plausible, repeatable usage history of every metric for one application (the demo seeder's generator before the
    /// demo was made of real media): a library that grows, daily traffic and plays with a weekly rhythm, some transcoding
    /// and review. Larger <paramref name="scale"/>, busier application.
    /// </summary>
    private static IEnumerable<DailyUsage> History(long applicationId, int scale, DateOnly today)
    {
        var random = new Random((int)(applicationId % int.MaxValue));
        long storage = 0, media = 0;
        for (var day = today.AddDays(1 - HistoryDays); day <= today; day = day.AddDays(1))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var newMedia = random.Next(0, 6 * scale);
            media += newMedia;
            storage += newMedia * (150L << 20) + random.Next(0, 50 << 20);
            var plays = (long)(random.Next(200, 800) * scale * (weekend ? 1.6 : 1.0));
            var traffic = plays * (35L << 20);
            yield return Row(UsageMetric.StorageBytes, storage);
            yield return Row(UsageMetric.MediaCount, media);
            yield return Row(UsageMetric.Plays, plays);
            yield return Row(UsageMetric.TrafficBytes, traffic);
            yield return Row(UsageMetric.PeakBandwidthBps, traffic * 8 / 3600 * random.Next(2, 5));
            yield return Row(UsageMetric.TranscodeSeconds, newMedia * random.Next(120, 900));
            yield return Row(UsageMetric.ReviewSeconds, newMedia * random.Next(60, 600));

            DailyUsage Row(UsageMetric metric, long value) => new() { ApplicationId = applicationId, Metric = metric, Day = day, Value = value };
        }
    }
}
