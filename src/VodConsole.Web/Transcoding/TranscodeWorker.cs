using Microsoft.Extensions.Options;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Transcoding;

/// <summary>
/// Runs transcoding jobs in the background, at most <c>Processing:MaxConcurrentJobs</c> ffmpeg processes at a time. Woken
/// right after a job is queued and polling every few seconds; the database is the queue, so a job queued by another
/// server, or left Running by a server that died (once its lease ran out), is found too.
/// </summary>
public sealed class TranscodeWorker(
    IServiceScopeFactory scopes, TranscodeSignal signal, IOptions<ProcessingOptions> options, ILogger<TranscodeWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.MaxConcurrentJobs)).Select(_ => RunLoopAsync(stoppingToken)));

    private async Task RunLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await RunNextAsync(ct))
                {
                    await signal.WaitAsync(PollInterval, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> RunNextAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var runner = scope.ServiceProvider.GetRequiredService<TranscodeRunner>();
            if (await runner.ClaimNextAsync(ct) is not { } claim)
            {
                return false;
            }
            signal.Notify(); // more may be waiting: an idle loop looks while this one runs
            await runner.RunAsync(claim, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The database busy, say: retried at the next poll; the worker must not stop the console.
            logger.LogError(ex, "Taking a transcoding job failed; retrying in {Interval}.", PollInterval);
            return false;
        }
    }
}
