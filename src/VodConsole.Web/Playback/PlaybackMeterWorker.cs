using VodConsole.Core.Usage;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Playback;

/// <summary>
/// Writes the playback domain's batch of traffic and plays (<see cref="PlaybackMeter"/>) every two seconds, and once
/// more when the server stops. The web server stops before the hosted services do, so that last flush comes after the
/// last response was counted.
/// </summary>
public sealed class PlaybackMeterWorker(IServiceScopeFactory scopes, PlaybackMeter meter, TimeProvider clock, ILogger<PlaybackMeterWorker> logger)
    : PeriodicWorker(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected override string WorkName => "Writing the playback traffic and plays";

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => meter.FlushAsync(ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Not cancelled by the shutdown's deadline: a few upserts, and what they hold is lost if they do not run.
            await meter.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing the playback traffic and plays at shutdown failed; the last seconds' figures are lost.");
        }
    }
}
