using Microsoft.Extensions.Options;
using VodConsole.Core.Instances;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Instances;

/// <summary>
/// Keeps this instance's row alive (<see cref="InstanceRegistry"/>) while it runs, and removes it at a graceful stop.
/// Registered before the job workers, so it stops after them: their leases are given back first.
/// </summary>
public sealed class InstanceHeartbeatWorker(
    IServiceScopeFactory scopes, IOptions<InstanceOptions> options, TimeProvider clock, ILogger<InstanceHeartbeatWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Heartbeat, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateSystemScope();
                await scope.ServiceProvider.GetRequiredService<InstanceRegistry>().BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "This instance could not say it is alive; trying again in {Interval}.", options.Value.Heartbeat);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateSystemScope();
            await scope.ServiceProvider.GetRequiredService<InstanceRegistry>().LeaveAsync(cancellationToken);
        }
        catch (ObjectDisposedException ex)
        {
            // A host disposed without a graceful stop (tests tearing a server down) has no services left to sign off with.
            logger.LogDebug(ex, "This instance was torn down without a graceful stop; its heartbeat runs out by itself.");
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "This instance could not sign off; the others see it as dead once its heartbeat runs out.");
        }
    }
}
