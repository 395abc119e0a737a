using VodConsole.Core.Api;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Api;

/// <summary>
/// Prunes what the API keeps only for a while: nonces whose requests are too old to be accepted anyway, and upload
/// sessions past their lifetime (with the file of any never committed). Pruning late only keeps rows a little longer.
/// </summary>
public sealed class ApiMaintenanceWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiMaintenanceWorker> logger)
    : PeriodicWorker(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    protected override string WorkName => "Pruning API nonces and expired uploads";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<ApiNonceStore>().PruneAsync(Clock.GetUtcNow().UtcDateTime, ct);
        await services.GetRequiredService<ApiUploadService>().PruneExpiredAsync(ct);
    }
}
