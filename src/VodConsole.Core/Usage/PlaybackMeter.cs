using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace VodConsole.Core.Usage;

/// <summary>
/// What the playback domain delivered (traffic, plays), collected in memory and written in batches, so a playback
/// response never waits for a database write: the endpoint only puts a count in a channel, and
/// <see cref="FlushAsync"/> (every few seconds, and when the server stops) merges what came in per application and
/// minute and writes it in one transaction (<see cref="UsageRecorder.AddPlaybackAsync"/>).
/// A crash loses what came in since the last flush: at most those few seconds of traffic and plays (docs/performance.md).
/// </summary>
public sealed class PlaybackMeter(IServiceScopeFactory scopes, TimeProvider clock)
{
    private readonly Channel<PlaybackCount> pending = Channel.CreateUnbounded<PlaybackCount>(new() { SingleReader = true });
    private readonly SemaphoreSlim flushing = new(1, 1);

    /// <summary>Bytes delivered now for an application's playback domain.</summary>
    public void AddTraffic(long applicationId, long bytes)
    {
        if (bytes > 0)
        {
            pending.Writer.TryWrite(new PlaybackCount(applicationId, CurrentMinute(), bytes, 0));
        }
    }

    /// <summary>A response that just became a play (<see cref="PlayRule"/>).</summary>
    public void AddPlay(long applicationId) => pending.Writer.TryWrite(new PlaybackCount(applicationId, CurrentMinute(), 0, 1));

    /// <summary>
    /// Writes everything counted so far, merged, in one transaction. If the write fails (a busy database), the merged
    /// counts go back into the batch for the next flush, so nothing is lost to a transient error, and the error is thrown
    /// for the caller to log.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var merged = new Dictionary<(long ApplicationId, DateTime Minute), PlaybackCount>();
            while (pending.Reader.TryRead(out var count))
            {
                var key = (count.ApplicationId, count.Minute);
                merged[key] = merged.TryGetValue(key, out var sum)
                    ? sum with { Bytes = sum.Bytes + count.Bytes, Plays = sum.Plays + count.Plays }
                    : count;
            }
            if (merged.Count == 0)
            {
                return;
            }
            try
            {
                // A scope of its own: the recorder is scoped, and the flush runs outside any request (worker, shutdown, tests).
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<UsageRecorder>().AddPlaybackAsync(merged.Values, ct);
            }
            catch
            {
                foreach (var count in merged.Values)
                {
                    pending.Writer.TryWrite(count);
                }
                throw;
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    private DateTime CurrentMinute()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
    }
}

/// <summary>Traffic and plays of one application's playback domain in one UTC minute.</summary>
public sealed record PlaybackCount(long ApplicationId, DateTime Minute, long Bytes, long Plays);
