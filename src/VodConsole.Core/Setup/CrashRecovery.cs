using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

/// <summary>
/// What the console does after a power cut, in one place (decisions 0009 and 0017). At start, before it serves or takes
/// work, it registers as a live instance and gives back the job leases of instances that are not alive (its own previous
/// run included), so their pulls, processing and transcoding are taken at once. If it is the only instance alive, whatever
/// is in flight is nobody's: it also removes unfinished file writes, makes files agree with rows, gives interrupted API
/// commits and callback pushes back. With other instances alive those may be theirs, so it leaves them to their leases
/// and removes only unfinished writes untouched for <see cref="AbandonedWriteAge"/>. Then it checks the storage figures
/// against the rows. At start and hourly, the transcoding work folders of server processes on this machine that ended
/// (<see cref="TranscodeWorkFolders"/>). Hourly (once across instances): unfinished writes nobody owns, and the figures again.
/// </summary>
public sealed class CrashRecovery(
    IMediaStorage storage, MediaFileReconciler files, ApiUploadService uploads, CallbackDelivery callbacks, UsageReconciler usage,
    InstanceRegistry instances, JobLeases leases, AccessPolicy access, ILogger<CrashRecovery> logger)
{
    /// <summary>How long an unfinished write must have been untouched before it counts as abandoned while other instances run.</summary>
    public static readonly TimeSpan AbandonedWriteAge = TimeSpan.FromHours(1);

    /// <param name="databaseIsNew">The database was created by this start (see <see cref="MediaFileReconciler"/>).</param>
    public async Task RecoverAtStartAsync(bool databaseIsNew, CancellationToken ct = default)
    {
        access.RequireSystem();
        await instances.BeatAsync(ct);
        var others = await instances.OthersAliveAsync(ct);
        var released = await leases.ReleaseAbandonedAsync(MediaPuller.Kind, others, ct)
            + await leases.ReleaseAbandonedAsync(MediaProcessor.Kind, others, ct)
            + await leases.ReleaseAbandonedAsync(TranscodeRunner.Kind, others, ct);
        if (released > 0)
        {
            logger.LogWarning("{Count} job(s) (pulls, processing, transcoding) were held by an instance that is not alive; they are taken again.", released);
        }
        RemoveTranscodingWorkOfEndedProcesses();
        if (others.Count > 0)
        {
            logger.LogInformation(
                "{Count} other instance(s) are alive ({Instances}): their uploads, moves and callback pushes are left to them; unfinished writes untouched for {Age} are removed.",
                others.Count, string.Join(", ", others), AbandonedWriteAge);
            RemoveAbandonedWrites(AbandonedWriteAge);
            await usage.ReconcileAsync(ct);
            return;
        }

        RemoveAbandonedWrites(null);
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
        var alone = (await instances.OthersAliveAsync(ct)).Count == 0;
        RemoveAbandonedWrites(alone ? null : AbandonedWriteAge);
        RemoveTranscodingWorkOfEndedProcesses();
        await usage.ReconcileAsync(ct);
    }

    /// <summary>Safe with other instances alive, or other installations on the machine: only ended processes' folders go.</summary>
    private void RemoveTranscodingWorkOfEndedProcesses()
    {
        var removed = TranscodeWorkFolders.RemoveLeftByEndedProcesses();
        if (removed > 0)
        {
            logger.LogWarning("Removed {Count} transcoding work folder(s) left in the temp folder by a server process that ended mid-run.", removed);
        }
    }

    private void RemoveAbandonedWrites(TimeSpan? untouchedFor)
    {
        var abandoned = storage.RemoveAbandonedWrites(untouchedFor);
        if (abandoned > 0)
        {
            logger.LogWarning("Removed {Count} unfinished upload file(s) that no upload, pull or transcoding is writing.", abandoned);
        }
    }
}
