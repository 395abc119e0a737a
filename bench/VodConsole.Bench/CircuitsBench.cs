using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using VodConsole.CircuitDriver;

namespace VodConsole.Bench;

/// <summary>
/// Issue #15 item 2: circuits at scale. The console (Release build, child process, demo data plus 121 small uploads so
/// the primary application's media list has seven pages) and a stock Blazor Web App
/// (<c>dotnet new blazor --interactivity Server --all-interactive</c>, made and built by the bench in a temporary folder)
/// are driven in turn by the headless circuit driver (bench/VodConsole.CircuitDriver): at each level the bench opens
/// circuits until each of two groups holds that many, reads the server's resident memory (VmRSS) and its managed heap
/// after a full GC (<see cref="HeapProbe"/>) after each group, then runs interactions at a fixed rate on circuits picked
/// at random for a fixed time and gives their p50 / p95.
/// Console: group A idles on the Admin overview and switches role (a navigation to the primary application's overview
/// and back; done when a batch brings the new role's overview link), group B idles on the primary application's media
/// page and turns pages (the Next button, clicked through its handler; done when the handler finished and a batch brought
/// the new page's media links; every fifth turn the tab goes back to page 1 through two navigations that are not timed). Stock app: group A on the home page navigates to /counter and back,
/// group B on /counter clicks "Click me".
/// </summary>
internal static class CircuitsBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(IReadOnlyList<int> levels, int rate, int seconds, bool stock)
    {
        Console.WriteLine($"Machine load at start (uptime): {StockBench.Load()}");
        Console.WriteLine($"Levels {string.Join(", ", levels)} circuits per group; {rate} interactions/s per group for {seconds} s at each level.");
        await using (var console = await ConsoleTarget.StartAsync())
        {
            await MeasureAsync(console, levels, rate, seconds);
        }
        if (stock)
        {
            await using var app = await StockTarget.StartAsync();
            await MeasureAsync(app, levels, rate, seconds);
        }
        Console.WriteLine($"Machine load at end (uptime): {StockBench.Load()}");
    }

    private static async Task MeasureAsync(Target target, IReadOnlyList<int> levels, int rate, int seconds)
    {
        Console.WriteLine();
        Console.WriteLine($"### {target.Name} (pid {target.Pid})");
        // Warm-up: JIT, EF's compiled queries, the first render of both pages and both interactions.
        var warm = new List<BlazorCircuit>();
        for (var i = 0; i < 3; i++)
        {
            foreach (var group in new[] { target.A, target.B })
            {
                var circuit = await OpenAsync(target, group);
                await group.InteractAsync(circuit);
                await group.InteractAsync(circuit);
                warm.Add(circuit);
            }
        }
        foreach (var circuit in warm)
        {
            await circuit.DisposeAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (rss, heap) = await MemoryAsync(target.Pid);
        Console.WriteLine($"Baseline after warm-up (6 circuits opened and closed): RSS {Mb(rss)}, managed heap {Mb(heap)}");
        Console.WriteLine($"| circuits held (A + B) | RSS | managed heap | per circuit A ({target.A.Name}): RSS / heap | per circuit B ({target.B.Name}): RSS / heap "
            + $"| {target.A.Interaction} p50 / p95 | {target.B.Interaction} p50 / p95 | failed | goals: ≤ 1.0 MB per circuit, p95 ≤ 250 ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");

        var a = new List<BlazorCircuit>();
        var b = new List<BlazorCircuit>();
        try
        {
            foreach (var level in levels)
            {
                var openedA = await OpenManyAsync(target, target.A, a, level);
                var (rssA, heapA) = await MemoryAsync(target.Pid);
                var openedB = await OpenManyAsync(target, target.B, b, level);
                var (rssB, heapB) = await MemoryAsync(target.Pid);
                string PerCircuit(long rssDelta, long heapDelta, int opened) =>
                    opened == 0 ? "—" : $"{rssDelta / 1024.0 / opened:0} KB / {heapDelta / 1024.0 / opened:0} KB";
                var perA = PerCircuit(rssA - rss, heapA - heap, openedA);
                var perB = PerCircuit(rssB - rssA, heapB - heapA, openedB);
                rss = rssB;
                heap = heapB;

                var failed = 0;
                var timingsA = new ConcurrentBag<double>();
                var timingsB = new ConcurrentBag<double>();
                await Task.WhenAll(
                    DriveAsync(target.A, a, rate, seconds, timingsA, () => Interlocked.Increment(ref failed)),
                    DriveAsync(target.B, b, rate, seconds, timingsB, () => Interlocked.Increment(ref failed)));
                Console.WriteLine($"| {a.Count} + {b.Count} | {Mb(rssB)} | {Mb(heapB)} | {perA} | {perB} | {Percentiles(timingsA)} | {Percentiles(timingsB)} | {failed} | |");
            }
        }
        finally
        {
            foreach (var circuit in a.Concat(b))
            {
                await circuit.DisposeAsync();
            }
        }
    }

    /// <summary>Opens circuits of <paramref name="group"/> until it holds <paramref name="level"/>; returns how many were opened.</summary>
    private static async Task<int> OpenManyAsync(Target target, Group group, List<BlazorCircuit> circuits, int level)
    {
        var wanted = level - circuits.Count;
        if (wanted <= 0)
        {
            return 0;
        }
        var opened = new ConcurrentBag<BlazorCircuit>();
        await Parallel.ForEachAsync(Enumerable.Range(0, wanted), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => opened.Add(await OpenAsync(target, group)));
        circuits.AddRange(opened);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last circuits' first renders and JS calls settle
        return wanted;
    }

    /// <summary>A tab of its own: a cookie container with the signed-in cookie, the page prerendered, its circuit started.</summary>
    private static async Task<BlazorCircuit> OpenAsync(Target target, Group group)
    {
        var cookies = new CookieContainer();
        cookies.Add(target.Cookies.GetAllCookies());
        using var http = ConsoleSignIn.Client(target.BaseUri, cookies);
        return await BlazorCircuit.OpenAsync(http, cookies, target.BaseUri, group.Path, Timeout);
    }

    /// <summary>
    /// <paramref name="rate"/> interactions a second for <paramref name="seconds"/> s, each on a circuit picked at random among
    /// the idle ones (a circuit is never driven twice at once, as a person clicks one thing at a time).
    /// </summary>
    private static async Task DriveAsync(Group group, List<BlazorCircuit> circuits, int rate, int seconds,
        ConcurrentBag<double> timings, Action failed)
    {
        var idle = new ConcurrentQueue<BlazorCircuit>(circuits.OrderBy(_ => Random.Shared.Next()));
        var running = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var watch = Stopwatch.StartNew();
        for (var i = 0; watch.Elapsed < TimeSpan.FromSeconds(seconds); i++)
        {
            var due = interval * i - watch.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
            if (!idle.TryDequeue(out var circuit))
            {
                failed(); // every circuit busy: the server is not keeping up with the rate
                continue;
            }
            running.Add(Task.Run(async () =>
            {
                try
                {
                    timings.Add((await group.InteractAsync(circuit)).TotalMilliseconds);
                }
                catch (Exception error)
                {
                    failed();
                    Console.Error.WriteLine($"{group.Interaction} failed: {error.Message}");
                }
                idle.Enqueue(circuit);
            }));
        }
        await Task.WhenAll(running);
    }

    private static string Percentiles(ConcurrentBag<double> timings)
    {
        var sorted = timings.Order().ToList();
        return sorted.Count == 0
            ? "—"
            : $"{sorted[sorted.Count / 2]:0} / {sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:0} ms (n={sorted.Count})";
    }

    private static async Task<(long Rss, long Heap)> MemoryAsync(int pid)
    {
        var heap = await HeapProbe.AfterFullGcAsync(pid);
        return (UploadBench.Status(pid, "VmRSS"), heap);
    }

    private static string Mb(long bytes) => $"{bytes / 1_048_576.0:0.0} MiB";

    /// <summary>One kind of tab: the page it idles on and the interaction it repeats (returns its latency).</summary>
    private sealed record Group(string Name, string Path, string Interaction, Func<BlazorCircuit, Task<TimeSpan>> InteractAsync);

    private abstract class Target(string name, Process process, Uri baseUri) : IAsyncDisposable
    {
        public string Name => name;
        public int Pid => process.Id;
        public Uri BaseUri => baseUri;
        public CookieContainer Cookies { get; } = new();
        public abstract Group A { get; }
        public abstract Group B { get; }

        public virtual async ValueTask DisposeAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        protected static async Task WaitForAsync(Process process, Uri baseUri, string path, System.Text.StringBuilder log)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            for (var i = 0; i < 600; i++)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The server exited: {log}");
                }
                try
                {
                    using var response = await http.GetAsync(path);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"The server did not start within 120 s: {log}");
        }
    }

    private sealed class ConsoleTarget : Target
    {
        private readonly DirectoryInfo data;
        private readonly long app;

        private ConsoleTarget(Process process, Uri baseUri, DirectoryInfo data, long app) : base("VodConsole", process, baseUri)
        {
            this.data = data;
            this.app = app;
            var overview = "/admin/overview";
            var other = $"/apps/{app}/overview";
            A = new Group("Admin overview", overview, "role switch", circuit =>
            {
                // Admin → the primary application → Admin: the new role's overview link is in the menu once the layout followed.
                var target = circuit.Location.AbsolutePath == overview ? other : overview;
                return circuit.NavigateAsync(target, batch => batch.Contains(target), Timeout);
            });
            var mediaLink = $"/apps/{app}/media/";
            var media = $"/apps/{app}/media";
            B = new Group("media page", media, "media page turn", async circuit =>
            {
                // Next, page after page: a disabled button has no handler in the render batches, and the driver keeps no
                // DOM to see Previous appear, so after a few pages the tab leaves and comes back (not timed) to page 1.
                // The same when the button's handler was never seen whole: a tab opened on the media page renders Next
                // disabled while the page loads, and the batch that enables it only adds the handler to it.
                var turned = turns.GetValueOrDefault(circuit);
                var next = circuit.FindClickHandler(e => e.Attributes.GetValueOrDefault("data-testid") == "media-next");
                if (turned == PagesTurnedBeforeReturn || next == 0)
                {
                    await circuit.NavigateAsync(overview, batch => batch.Contains(overview), Timeout);
                    await circuit.NavigateAsync(media, batch => batch.Contains(mediaLink), Timeout);
                    next = circuit.FindClickHandler(e => e.Attributes.GetValueOrDefault("data-testid") == "media-next");
                    turned = 0;
                }
                var elapsed = await circuit.ClickAsync(next, batch => batch.Contains(mediaLink), Timeout);
                turns[circuit] = turned + 1;
                return elapsed;
            });
        }

        public override Group A { get; }
        public override Group B { get; }
        /// <summary>Pages a media tab turns before it starts again from page 1; the console has one more page of uploads.</summary>
        private const int PagesTurnedBeforeReturn = 5;
        private readonly ConcurrentDictionary<BlazorCircuit, int> turns = new();

        public static async Task<ConsoleTarget> StartAsync()
        {
            var web = UploadBench.ReleaseBuild();
            var data = Directory.CreateTempSubdirectory("vodconsole-bench-circuits-");
            var baseUri = new Uri($"http://127.0.0.1:{UploadBench.FreePort()}/");
            var log = new System.Text.StringBuilder();
            var process = UploadBench.StartConsole(web, data.FullName, baseUri.ToString().TrimEnd('/'), log,
                new Dictionary<string, string> { ["Seed__DemoData"] = "true" });
            await WaitForAsync(process, baseUri, "/Account/Login", log);
            var app = await UploadBench.PrimaryApplicationAsync(Path.Combine(data.FullName, "vodconsole.db"));
            var target = new ConsoleTarget(process, baseUri, data, app);
            using var http = ConsoleSignIn.Client(baseUri, target.Cookies);
            await ConsoleSignIn.SignInAsync(http, UploadBench.Email, UploadBench.Password);
            // Pages of media for the page turns: small uploads through the upload endpoint, as the upload page sends them.
            var token = await UploadBench.TokenAsync(http, $"/apps/{app}/upload");
            for (var i = 0; i < (PagesTurnedBeforeReturn + 1) * 20 + 1; i++)
            {
                await UploadBench.UploadAsync(http, app, token, new UploadBench.GeneratedMp4Stream(20_000), 20_000, $"circuit-bench-{i:00}.mp4");
            }
            return target;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private sealed class StockTarget : Target
    {
        private StockTarget(Process process, Uri baseUri) : base("Stock Blazor Web App (dotnet new blazor --interactivity Server --all-interactive)", process, baseUri)
        {
            A = new Group("home page", "/", "navigation", circuit =>
            {
                var toCounter = circuit.Location.AbsolutePath != "/counter";
                return circuit.NavigateAsync(toCounter ? "/counter" : "/", batch => batch.Contains(toCounter ? "Click me" : "Hello, world!"), Timeout);
            });
            B = new Group("counter page", "/counter", "counter click", async circuit =>
            {
                var click = await circuit.WaitForClickHandlerAsync(e => e.Name == "button" && e.Attributes.GetValueOrDefault("class") == "btn btn-primary", Timeout);
                return await circuit.ClickAsync(click, _ => true, Timeout);
            });
        }

        public override Group A { get; }
        public override Group B { get; }

        /// <summary>The SDK's template, made and built once in the temporary folder (no package beyond the shared framework).</summary>
        public static async Task<StockTarget> StartAsync()
        {
            var root = Path.Combine(Path.GetTempPath(), "vodconsole-bench-stock-blazor");
            var project = Path.Combine(root, "StockBlazor");
            var dll = Path.Combine(project, "bin", "Release", "net10.0", "StockBlazor.dll");
            if (!File.Exists(dll))
            {
                Directory.CreateDirectory(root);
                await RunAsync(root, "new", "blazor", "--interactivity", "Server", "--all-interactive", "--force", "-o", project);
                await RunAsync(project, "build", "-c", "Release");
            }
            var baseUri = new Uri($"http://127.0.0.1:{UploadBench.FreePort()}/");
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_URLS"] = baseUri.ToString().TrimEnd('/');
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var log = new System.Text.StringBuilder();
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await WaitForAsync(process, baseUri, "/", log);
            return new StockTarget(process, baseUri);
        }

        private static async Task RunAsync(string directory, params string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", args)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed: {await output}{await errors}");
            }
        }
    }
}
