using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

/// <summary>
/// What the console does after a power cut, in one place (decision 0009). At start, before it serves or takes work:
/// removes unfinished file writes, makes files agree with rows, gives interrupted API commits and callback pushes back,
/// and checks the storage figures against the rows. Hourly: unfinished writes nobody owns, and the figures again.
/// Interrupted pulls are put back in the queue by their worker's start, processing resumes from the database.
/// </summary>
public sealed class CrashRecovery(
    IMediaStorage storage, MediaFileReconciler files, ApiUploadService uploads, CallbackDelivery callbacks, UsageReconciler usage,
    AccessPolicy access, ILogger<CrashRecovery> logger)
{
    /// <param name="databaseIsNew">The database was created by this start (see <see cref="MediaFileReconciler"/>).</param>
    public async Task RecoverAtStartAsync(bool databaseIsNew, CancellationToken ct = default)
    {
        access.RequireSystem();
        var abandoned = storage.RemoveAbandonedWrites();
        if (abandoned > 0)
        {
            logger.LogWarning("Removed {Count} unfinished upload file(s) left by an earlier run.", abandoned);
        }
        await files.ReconcileAsync(databaseIsNew, ct);
        var commits = await uploads.RecoverInterruptedAsync(ct);
        if (commits > 0)
        {
            logger.LogWarning("{Count} API upload(s) were interrupted while a file was sent or committed; they can be sent or committed again.", commits);
        }
        var claims = await callbacks.ReleaseInterruptedClaimsAsync(ct);
        if (claims > 0)
        {
            logger.LogWarning("{Count} callback push(es) were interrupted; they are sent again (same event ID).", claims);
        }
        await usage.ReconcileAsync(ct);
    }

    /// <summary>The periodic part: unfinished writes no live upload or pull owns, and the figures against the rows.</summary>
    public async Task MaintainAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var abandoned = storage.RemoveAbandonedWrites();
        if (abandoned > 0)
        {
            logger.LogWarning("Removed {Count} unfinished upload file(s) that no upload or pull is writing.", abandoned);
        }
        await usage.ReconcileAsync(ct);
    }
}
