using VodConsole.Core.Instances;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Setup;

/// <summary>
/// Background work that runs at start and then every <see cref="Interval"/>, each run in a scope of its own, once per
/// period across every instance on the database: a run starts only if it takes the period's lease
/// (<see cref="PeriodLeases"/>, one row per worker). A failed run gives the period back and is logged; it runs again at the
/// next tick of whichever instance comes first, so a busy database never stops the console.
/// </summary>
public abstract class PeriodicWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What the log says failed, e.g. "Settling usage against the resource packages".</summary>
    protected abstract string WorkName { get; }

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        var kind = GetType().Name;
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var periods = scope.ServiceProvider.GetRequiredService<PeriodLeases>();
            if (!await periods.TryStartAsync(kind, Interval, ct))
            {
                return; // another instance runs this period (or this one did, before a restart)
            }
            try
            {
                await RunAsync(scope.ServiceProvider, ct);
            }
            catch
            {
                await periods.ReleaseAsync(kind, CancellationToken.None);
                throw;
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "{Work} failed; retrying in {Interval}.", WorkName, Interval);
        }
    }
}
