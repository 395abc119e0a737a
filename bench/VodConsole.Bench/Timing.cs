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
            timings.Add(await TimeAsync(call));
        }
        return Summary(timings);
    }

    /// <summary>
    /// VodConsole's way and the stock way of the same case, called alternately (the order swapped every run) so both
    /// see the same neighbours on a shared machine; the ratio is stock's median over ours.
    /// </summary>
    public static async Task<(Result Ours, Result Stock)> CompareAsync(Func<Task> ours, Func<Task> stock, int runs, int warmUp = 10)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await ours();
            await stock();
        }
        var oursTimings = new List<double>(runs);
        var stockTimings = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                oursTimings.Add(await TimeAsync(ours));
                stockTimings.Add(await TimeAsync(stock));
            }
            else
            {
                stockTimings.Add(await TimeAsync(stock));
                oursTimings.Add(await TimeAsync(ours));
            }
        }
        return (Summary(oursTimings), Summary(stockTimings));
    }

    public static string Format(Result r) => $"{r.Median,7:0.00} ms | {r.P95,7:0.00} ms | {r.Max,7:0.00} ms";

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        await call();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static Result Summary(List<double> timings)
    {
        timings.Sort();
        return new Result(timings[timings.Count / 2], timings[(int)(timings.Count * 0.95)], timings[^1]);
    }
}
