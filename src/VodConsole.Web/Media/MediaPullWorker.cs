using VodConsole.Core.Roles;
using VodConsole.Core.Media;

namespace VodConsole.Web.Media;

/// <summary>
/// Pulls submitted URLs in the background, a few at a time so one slow server does not hold up the rest. Woken right
/// after a submit and polling every few seconds; the database is the queue, so at start it puts back what an earlier
/// run was downloading when it stopped.
/// </summary>
public sealed class MediaPullWorker(
    IServiceScopeFactory scopes, MediaPullSignal signal, ILogger<MediaPullWorker> logger) : BackgroundService
{
    public const int ConcurrentPulls = 3;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeueInterruptedAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, ConcurrentPulls).Select(_ => PullLoopAsync(stoppingToken)));
    }

    private async Task RequeueInterruptedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var requeued = await scope.ServiceProvider.GetRequiredService<MediaPuller>().RequeueInterruptedAsync(ct);
            if (requeued > 0)
            {
                logger.LogInformation("Put {Count} interrupted pull(s) back in the queue.", requeued);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Interrupted pulls could not be put back in the queue; they stay Downloading.");
        }
    }

    private async Task PullLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await PullNextAsync(ct))
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

    private async Task<bool> PullNextAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var puller = scope.ServiceProvider.GetRequiredService<MediaPuller>();
            if (await puller.ClaimNextAsync(ct) is not { } job)
            {
                return false;
            }
            signal.Notify(); // more may be waiting: an idle loop looks while this one downloads
            await puller.PullAsync(job, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The database busy, say: retried at the next poll; the worker must not stop the console.
            logger.LogError(ex, "Taking a pull job failed; retrying in {Interval}.", PollInterval);
            return false;
        }
    }
}
