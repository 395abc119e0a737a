using System.Diagnostics;

namespace VodConsole.Bench;

/// <summary>Median, p95 and max of repeated calls, after a warm-up (JIT, EF query compilation, SQLite page cache).</summary>
internal static class Timing
{
    public sealed record Result(double Median, double P95, double Max);

    public static async Task<Result> MeasureAsync(Func<Task> call, int runs = 200, int warmUp = 20)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await call();
        }
        var timings = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        return new Result(timings[runs / 2], timings[(int)(runs * 0.95)], timings[^1]);
    }

    public static string Format(Result r) => $"{r.Median,7:0.00} ms | {r.P95,7:0.00} ms | {r.Max,7:0.00} ms";
}
