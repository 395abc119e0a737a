using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Bench;

/// <summary>
/// Issue #15 item 4: the playback endpoint against plain static-file serving of the same file, on the same server in
/// the same run: 20 concurrent clients send Range requests for as long as a round lasts, the two targets alternating
/// round by round; requests per second and latency percentiles of each round, and the median over the rounds.
/// </summary>
internal static class PlaybackBench
{
    private const int Clients = 20;
    private const int FileBytes = 16 * 1024 * 1024;
    private const int RangeBytes = 128 * 1024;
    private const string StaticPath = "/bench-static";

    public static async Task RunAsync(int seconds, int rounds)
    {
        var directory = Directory.CreateTempSubdirectory("vodconsole-bench-playback-");
        try
        {
            var mediaRoot = Path.Combine(directory.FullName, "media");
            Directory.CreateDirectory(mediaRoot);
            await using var server = new BenchServer(directory.FullName,
                configure: services => services.AddTransient<IStartupFilter>(_ => new StaticFiles(mediaRoot)));
            var (appId, media) = await AddMediaAsync(server);
            var targets = new (string Name, string Path)[]
            {
                ("playback endpoint /play/{app}/{media}", $"/play/{appId}/{media.Id}"),
                ("static files (UseStaticFiles, same file)", $"{StaticPath}/{media.StorageKey}"),
            };

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(server.BaseUrl),
            };
            Console.WriteLine($"Machine load at start (uptime): {StockBench.Load()}");
            Console.WriteLine($"{Clients} concurrent clients, Range requests of {RangeBytes / 1024} KB at random offsets of a {FileBytes >> 20} MB file, "
                + $"{rounds} rounds of {seconds} s per target, alternating, after a 3 s warm-up of each");
            foreach (var (_, path) in targets)
            {
                await LoadAsync(http, path, TimeSpan.FromSeconds(3));
            }
            var results = targets.ToDictionary(t => t.Name, _ => new List<Round>());
            Console.WriteLine("| round | target | requests/s | p50 | p99 |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            for (var round = 1; round <= rounds; round++)
            {
                // Swapped every round, so neither always runs right after the other's load.
                foreach (var (name, path) in round % 2 == 1 ? targets : targets.Reverse())
                {
                    var result = await LoadAsync(http, path, TimeSpan.FromSeconds(seconds));
                    results[name].Add(result);
                    Console.WriteLine($"| {round} | {name} | {result.PerSecond:0} | {result.P50:0.0} ms | {result.P99:0.0} ms |");
                }
            }
            var play = Median(results[targets[0].Name]);
            var plain = Median(results[targets[1].Name]);
            Console.WriteLine();
            Console.WriteLine("| target | requests/s (median of rounds) | p50 | p99 |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine($"| {targets[0].Name} | {play.PerSecond:0} | {play.P50:0.0} ms | {play.P99:0.0} ms |");
            Console.WriteLine($"| {targets[1].Name} | {plain.PerSecond:0} | {plain.P50:0.0} ms | {plain.P99:0.0} ms |");
            Console.WriteLine($"| ratio playback / static | **{play.PerSecond / plain.PerSecond:0.00}×** (goal ≥ 0.8×) | "
                + $"{play.P50 / plain.P50:0.00}× | **{play.P99 / plain.P99:0.00}×** (goal ≤ 2×) |");
            // The machine's speed drifts from round to round (static files alone vary by 1.5×): the ratio of the two
            // targets within each round, one right after the other, is steadier than the ratio of their medians.
            var ratios = results[targets[0].Name].Zip(results[targets[1].Name], (p, s) => (PerSecond: p.PerSecond / s.PerSecond, P99: p.P99 / s.P99)).ToList();
            Console.WriteLine($"| ratio within each round, median (min–max) | **{Middle(ratios.Select(r => r.PerSecond)):0.00}×** "
                + $"({ratios.Min(r => r.PerSecond):0.00}–{ratios.Max(r => r.PerSecond):0.00}) | | "
                + $"**{Middle(ratios.Select(r => r.P99)):0.00}×** ({ratios.Min(r => r.P99):0.00}–{ratios.Max(r => r.P99):0.00}) |");
            Console.WriteLine($"Machine load at end (uptime): {StockBench.Load()}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private sealed record Round(double PerSecond, double P50, double P99);

    private static Round Median(List<Round> rounds) =>
        new(Middle(rounds.Select(r => r.PerSecond)), Middle(rounds.Select(r => r.P50)), Middle(rounds.Select(r => r.P99)));

    private static double Middle(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);

    /// <summary>A ready media item of the primary application with a file of <see cref="FileBytes"/>, as an upload leaves it.</summary>
    private static async Task<(long AppId, MediaItem Media)> AddMediaAsync(BenchServer server)
    {
        var appId = (await server.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        var content = new byte[FileBytes];
        new Random(15).NextBytes(content);
        var key = await server.Get<IMediaStorage>().SaveAsync(appId, new MemoryStream(content));
        var item = new MediaItem
        {
            ApplicationId = appId, Title = "Bench clip", Status = MediaStatus.Normal, ContentType = "video/mp4",
            StorageKey = key, SizeBytes = FileBytes, CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow, OriginalFileName = "bench.mp4",
        };
        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return (appId, item);
    }

    /// <summary><see cref="Clients"/> loops sending Range requests to one path until the time is up.</summary>
    private static async Task<Round> LoadAsync(HttpClient http, string path, TimeSpan duration)
    {
        var latencies = new List<double>[Clients];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var random = new Random(client);
            var mine = latencies[client] = [];
            var buffer = new byte[RangeBytes];
            while (watch.Elapsed < duration)
            {
                var from = (long)random.Next(FileBytes / RangeBytes) * RangeBytes;
                using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new RangeHeaderValue(from, from + RangeBytes - 1) } };
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode != System.Net.HttpStatusCode.PartialContent)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode} instead of 206");
                }
                await using var body = await response.Content.ReadAsStreamAsync();
                while (await body.ReadAsync(buffer) > 0)
                {
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Round(all.Count / elapsed, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
    }

    /// <summary>The stock way: ASP.NET Core's static-file middleware over the console's media folder, first in the pipeline.</summary>
    private sealed class StaticFiles(string root) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = StaticPath,
                FileProvider = new PhysicalFileProvider(root),
                ServeUnknownFileTypes = true, // stored media files have no extension
                DefaultContentType = "video/mp4",
            });
            next(app);
        };
    }
}
