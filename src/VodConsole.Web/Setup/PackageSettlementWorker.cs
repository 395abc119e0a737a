using VodConsole.Core.Packages;

namespace VodConsole.Web.Setup;

/// <summary>
/// Settles finished days against the resource packages: everything through yesterday at start-up (catching up after
/// downtime), then hourly, so a day is settled within the hour after midnight UTC. Settling is idempotent, so several
/// servers on one database may all run it.
/// </summary>
public sealed class PackageSettlementWorker(
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<PackageSettlementWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await SettleThroughYesterdayAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SettleThroughYesterdayAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<PackageLedger>();
            var settled = await ledger.SettleThroughAsync(ledger.Today.AddDays(-1), ct);
            if (settled > 0)
            {
                logger.LogInformation("Settled {Days} day(s) of usage against the resource packages.", settled);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A failed run (say, the database busy) is retried at the next tick; the worker must not stop the console.
            logger.LogError(ex, "Settling usage against the resource packages failed; retrying in {Interval}.", Interval);
        }
    }
}
