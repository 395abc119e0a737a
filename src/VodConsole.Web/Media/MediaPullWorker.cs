using VodConsole.Core.Roles;
using VodConsole.Core.Media;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Media;

/// <summary>
/// Pulls submitted URLs in the background, a few at a time so one slow server does not hold up the rest. Woken right
/// after a submit and polling every few seconds; the database is the queue, so at start it puts back what an earlier
/// run was downloading when it stopped.
/// </summary>
public sealed class MediaPullWorker(
    IServiceScopeFactory scopes, MediaPullSignal signal, ILogger<MediaPullWorker> logger)
    : QueueWorker<MediaPull>(scopes, signal, logger)
{
    protected override int Concurrency => 3;

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    protected override string WorkName => "Taking a pull job";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeueInterruptedAsync(stoppingToken);
        await base.ExecuteAsync(stoppingToken);
    }

    private async Task RequeueInterruptedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = Scopes.CreateSystemScope();
            var requeued = await scope.ServiceProvider.GetRequiredService<MediaPuller>().RequeueInterruptedAsync(ct);
            if (requeued > 0)
            {
                Logger.LogInformation("Put {Count} interrupted pull(s) back in the queue.", requeued);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Logger.LogError(ex, "Interrupted pulls could not be put back in the queue; they stay Downloading.");
        }
    }

    protected override Task<MediaPull?> ClaimNextAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<MediaPuller>().ClaimNextAsync(ct);

    protected override Task RunAsync(IServiceProvider services, MediaPull claim, CancellationToken ct) =>
        services.GetRequiredService<MediaPuller>().PullAsync(claim, ct);
}
