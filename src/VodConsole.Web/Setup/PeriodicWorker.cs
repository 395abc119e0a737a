using VodConsole.Core.Roles;
namespace VodConsole.Web.Setup;

/// <summary>
/// Background work that runs at start and then every <see cref="Interval"/>, each run in a scope of its own. The work
/// must be idempotent (every server on the database runs it); a failed run is logged and retried at the next tick, so a
/// busy database never stops the console.
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
        try
        {
            await using var scope = scopes.CreateSystemScope();
            await RunAsync(scope.ServiceProvider, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "{Work} failed; retrying in {Interval}.", WorkName, Interval);
        }
    }
}
