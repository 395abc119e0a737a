using VodConsole.Web.Setup;
using VodConsole.Core.Packages;

namespace VodConsole.Web.Packages;

/// <summary>
/// Settles finished days against the resource packages: everything through yesterday at start-up (catching up after
/// downtime), then hourly, so a day is settled within the hour after midnight UTC.
/// </summary>
public sealed class PackageSettlementWorker(
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<PackageSettlementWorker> logger) : PeriodicWorker(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string WorkName => "Settling usage against the resource packages";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var ledger = services.GetRequiredService<PackageLedger>();
        var settled = await ledger.SettleThroughAsync(ledger.Today.AddDays(-1), ct);
        if (settled > 0)
        {
            logger.LogInformation("Settled {Days} day(s) of usage against the resource packages.", settled);
        }
    }
}
