using VodConsole.Core.Api;

namespace VodConsole.Web.Api;

/// <summary>
/// Prunes what the API keeps only for a while: nonces whose requests are too old to be accepted anyway, and upload
/// sessions past their lifetime (with the file of any never committed). Both are idempotent, so every server on the
/// database may run it.
/// </summary>
public sealed class ApiMaintenanceWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiMaintenanceWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await PruneAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ApiNonceStore>().PruneAsync(clock.GetUtcNow().UtcDateTime, ct);
            await scope.ServiceProvider.GetRequiredService<ApiUploadService>().PruneExpiredAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Retried at the next tick; pruning late only keeps rows a little longer.
            logger.LogError(ex, "Pruning API nonces and expired uploads failed; retrying in {Interval}.", Interval);
        }
    }
}
