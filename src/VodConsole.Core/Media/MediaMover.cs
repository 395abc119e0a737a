using VodConsole.Core.Access;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Audit;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Media;

/// <summary>
/// Moves media from the current application to another one the user may use: rows, files and storage figures go
/// together, or nothing moves. Categories belong to an application, so moved media arrives uncategorised.
/// The files are renamed into the destination's folder first (atomic, one file at a time), then the rows, both
/// applications' roll-ups and the events commit in one transaction. A failure moves the files back; a crash in between
/// leaves rows naming the source and files in the destination's folder, which the next start puts back
/// (<see cref="MediaFileReconciler"/>), so the move did not happen.
/// </summary>
public sealed class MediaMover(
    ApplicationData data, RoleContext roles, AccessPolicy access, AuditLog audit, IMediaStorage storage, UsageRecorder usage,
    CallbackEvents callbacks, CrashPoints crashPoints)
{
    /// <summary>
    /// Where the current user may move the current application's media: the other enabled applications of their catalog
    /// that they may change.
    /// </summary>
    /// <summary>
    /// Why these items cannot move yet (one is still being uploaded or processed), or null. The bulk bar disables its
    /// Move menu with this reason, so the refusal comes before the confirmation rather than after it.
    /// </summary>
    public static string? StillProcessing(IEnumerable<MediaItem> items) =>
        items.FirstOrDefault(m => m.Status is MediaStatus.Uploading or MediaStatus.Processing) is { } busy
            ? $"\"{busy.Title}\" is still being processed; move it once it is ready."
            : null;

    public IReadOnlyList<ConsoleRole> Destinations()
    {
        access.RequireCaller();
        return roles.Catalog?.Roles
            .Where(r => r.ApplicationId is { } id && id != roles.CurrentApplicationId && !r.IsDisabled && r.CanWrite)
            .ToList() ?? [];
    }

    public async Task MoveAsync(IReadOnlyCollection<long> ids, long destinationId, CancellationToken ct = default)
    {
        var sourceId = roles.CurrentApplicationId;
        if (destinationId == sourceId)
        {
            throw new DomainRuleException("The media is already in this application; choose another one.", "destination");
        }
        if (Destinations().All(r => r.ApplicationId != destinationId))
        {
            throw new AccessDeniedException("Not found: there is no application you may move media to with this ID.");
        }
        // A move changes both applications; the catalog's access may be stale, the database's is not.
        await access.RequireWriteAsync(sourceId, ct);
        await access.RequireWriteAsync(destinationId, ct);

        List<MediaItem> items;
        List<TranscodeOutput> outputs;
        await using (var source = await data.OpenAsync(ct))
        {
            items = await MediaSelection.LoadAsync(source, ids, ct);
            var itemIds = items.Select(m => m.Id).ToList();
            var transcoding = await source.TranscodeJobs
                .Where(j => itemIds.Contains(j.MediaId) && (j.State == TranscodeJobState.Queued || j.State == TranscodeJobState.Running))
                .Select(j => (long?)j.MediaId).FirstOrDefaultAsync(ct);
            if (transcoding is { } busyId)
            {
                throw new DomainRuleException(
                    $"\"{items.Single(m => m.Id == busyId).Title}\" is being transcoded; move it once its job has finished, or cancel the job. Nothing was moved.");
            }
            outputs = await TranscodeOutputs.OfAsync(source, itemIds, ct);
            if (await source.Applications.Where(a => a.Id == destinationId).Select(a => a.Status).SingleOrDefaultAsync(ct)
                is not ApplicationStatus.Enabled)
            {
                throw new DomainRuleException("That application is disabled; enable it before moving media into it.", "destination");
            }
        }
        if (StillProcessing(items) is { } refusal)
        {
            throw new DomainRuleException(refusal + " Nothing was moved.");
        }

        // The rows change application, which only a context spanning both may write; the selection above was
        // loaded through the source application's isolated context, so only its own media can be in it.
        var moves = items.Select(m => new FileMoves(m, outputs.Where(o => o.MediaId == m.Id).ToList())).ToList();
        try
        {
            foreach (var move in moves)
            {
                move.Run(storage, destinationId);
            }
            crashPoints.Reach(CrashPoints.MoveFilesMoved);
            await using var db = await data.OpenSystemWideAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var tracked = await db.Media.Where(m => moves.Select(x => x.Item.Id).Contains(m.Id) && m.ApplicationId == sourceId).ToListAsync(ct);
            foreach (var item in tracked)
            {
                var move = moves.Single(x => x.Item.Id == item.Id);
                item.ApplicationId = destinationId;
                item.CategoryId = null;
                item.StorageKey = move.StorageKey!;
                item.CoverKey = move.CoverKey;
                item.StoryboardKeys = move.StoryboardKeys;
            }
            // Transcoding jobs and derivative files belong to their media: they change application with it.
            var movedIds = tracked.Select(m => m.Id).ToList();
            foreach (var job in await db.TranscodeJobs.Where(j => movedIds.Contains(j.MediaId)).ToListAsync(ct))
            {
                job.ApplicationId = destinationId;
                if (job.OutputKey is not null)
                {
                    // A job that committed another output since the files moved would be left pointing at the old folder.
                    if (outputs.SingleOrDefault(o => o.JobId == job.Id)?.Key != job.OutputKey)
                    {
                        throw new DomainRuleException("Some of the selected media changed meanwhile. Nothing was moved; try again.");
                    }
                    job.OutputKey = moves.Single(x => x.Item.Id == job.MediaId).OutputKeys[job.Id];
                }
            }
            foreach (var derivative in await db.MediaDerivatives.Where(d => movedIds.Contains(d.MediaId)).ToListAsync(ct))
            {
                derivative.ApplicationId = destinationId;
            }
            if (tracked.Count != moves.Count)
            {
                throw new DomainRuleException("Some of the selected media changed meanwhile. Nothing was moved; try again.");
            }
            // Both applications hear of it (each if it subscribes): the source loses the item, the destination gains it.
            // Each names only itself: a receiver of one application never learns another application's ID (docs/callbacks.md).
            foreach (var item in tracked)
            {
                await callbacks.AddAsync(db, sourceId, CallbackEventType.MediaMoved,
                    new { MediaId = item.Id, item.Title, FromSubAppId = (long?)sourceId, ToSubAppId = (long?)null }, ct);
                await callbacks.AddAsync(db, destinationId, CallbackEventType.MediaMoved,
                    new { MediaId = item.Id, item.Title, FromSubAppId = (long?)null, ToSubAppId = (long?)destinationId }, ct);
            }
            await db.SaveChangesAsync(ct);
            // Storage counts the derivative files too: they move with their media.
            var bytes = items.Sum(m => m.SizeBytes) + outputs.Sum(o => o.Bytes);
            await usage.ChangeLevelAsync(db, sourceId, UsageMetric.StorageBytes, -bytes, ct);
            await usage.ChangeLevelAsync(db, sourceId, UsageMetric.MediaCount, -items.Count, ct);
            await usage.ChangeLevelAsync(db, destinationId, UsageMetric.StorageBytes, bytes, ct);
            await usage.ChangeLevelAsync(db, destinationId, UsageMetric.MediaCount, items.Count, ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            foreach (var move in moves)
            {
                move.Undo(storage, sourceId);
            }
            throw;
        }

        // Each application's log tells its own side, so the destination's readers see what arrived and from where.
        foreach (var item in items)
        {
            var target = AuditTargets.Media(item.Id, item.Title);
            var before = new { ApplicationId = sourceId, item.CategoryId };
            var after = new { ApplicationId = destinationId, CategoryId = (long?)null };
            await audit.RecordAsync(AuditActions.MediaMoved, sourceId, target, before, after, ct);
            await audit.RecordAsync(AuditActions.MediaMovedIn, destinationId, target, before, after, ct);
        }
    }

    /// <summary>
    /// One item's files (original, cover, transcoding output trees) on their way to another application's folder, and
    /// the way back if the move fails.
    /// </summary>
    private sealed class FileMoves(MediaItem item, IReadOnlyList<TranscodeOutput> outputs)
    {
        public MediaItem Item => item;
        public string? StorageKey { get; private set; }
        public string? CoverKey { get; private set; }
        public List<string> StoryboardKeys { get; } = [];
        /// <summary>Each job's output tree's new key, by job.</summary>
        public Dictionary<long, string> OutputKeys { get; } = [];

        public void Run(IMediaStorage storage, long destinationId)
        {
            StorageKey = storage.MoveTo(item.StorageKey, destinationId);
            CoverKey = item.CoverKey is null ? null : storage.MoveTo(item.CoverKey, destinationId);
            foreach (var key in item.StoryboardKeys)
            {
                StoryboardKeys.Add(storage.MoveTo(key, destinationId));
            }
            foreach (var output in outputs)
            {
                OutputKeys[output.JobId] = storage.MoveTo(output.Key, destinationId);
            }
        }

        public void Undo(IMediaStorage storage, long sourceId)
        {
            if (StorageKey is not null)
            {
                storage.MoveTo(StorageKey, sourceId);
            }
            if (CoverKey is not null)
            {
                storage.MoveTo(CoverKey, sourceId);
            }
            foreach (var key in StoryboardKeys.Concat(OutputKeys.Values))
            {
                storage.MoveTo(key, sourceId);
            }
        }
    }
}
