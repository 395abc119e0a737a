using VodConsole.Core.Roles;
using VodConsole.Core.Media;

namespace VodConsole.Web.Media;

/// <summary>
/// Processes uploaded media in the background: woken right after an upload, and polling every few seconds for what
/// another server or an earlier run left waiting (the database is the queue, so a restart loses nothing).
/// </summary>
public sealed class MediaProcessingWorker(
    IServiceScopeFactory scopes, MediaProcessingSignal signal, ILogger<MediaProcessingWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await ProcessBatchAsync(stoppingToken) == 0)
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
        }
    }

    private async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            return await scope.ServiceProvider.GetRequiredService<MediaProcessor>().ProcessPendingAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A failed batch (say, the database busy) is retried at the next poll; the worker must not stop the console.
            logger.LogError(ex, "Processing uploaded media failed; retrying in {Interval}.", PollInterval);
            return 0;
        }
    }
}
