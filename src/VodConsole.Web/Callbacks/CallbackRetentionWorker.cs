using VodConsole.Core.Callbacks;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Callbacks;

/// <summary>Removes callback events past <c>Callbacks:RetentionDays</c>, at start and hourly; late only keeps rows a little longer.</summary>
public sealed class CallbackRetentionWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CallbackRetentionWorker> logger)
    : PeriodicWorker(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string WorkName => "Pruning callback events past their retention period";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var removed = await services.GetRequiredService<CallbackRetention>().PruneAsync(ct);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Events} callback event(s) past their retention period.", removed);
        }
    }
}
