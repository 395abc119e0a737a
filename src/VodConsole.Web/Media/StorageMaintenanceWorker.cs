using VodConsole.Core.Setup;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Media;

/// <summary>
/// Hourly: removes unfinished upload files that no upload or pull of this server is writing, and checks the storage
/// figures against the media rows (<see cref="CrashRecovery.MaintainAsync"/>). The start-up part runs before the
/// server listens (<see cref="ApplicationPipeline.InitializeVodConsoleAsync"/>).
/// </summary>
public sealed class StorageMaintenanceWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<StorageMaintenanceWorker> logger)
    : PeriodicWorker(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string WorkName => "Removing abandoned upload files and checking the storage figures";

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<CrashRecovery>().MaintainAsync(ct);
}
