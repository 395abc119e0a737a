using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media;

/// <summary>What a reconciliation of files and rows did.</summary>
/// <param name="Restored">Files put back where their row expects them (a move that did not commit).</param>
/// <param name="Removed">Files no row refers to, removed (an upload, cover or processing that did not commit; a delete that did).</param>
/// <param name="Missing">Rows whose file is nowhere (a file removed by hand): left as they are and logged.</param>
/// <param name="Kept">Files kept although no row refers to them, because the database was created just now.</param>
public sealed record MediaFileReport(int Restored, int Removed, int Missing, int Kept);

/// <summary>
/// Makes the media files agree with the rows after a restart; the rows are the truth. Every operation that changes
/// files and rows writes the new file before it commits its row and removes the old one after (see decision 0009), so a
/// crash can leave only two things behind: a file no row refers to (removed here), or, from a move, a file in the
/// destination's folder while its row still names the source (put back here, so the move did not happen).
/// <para>
/// Runs once at start, before the server takes work: while the console runs, a file that an upload has written but
/// not committed yet would look abandoned.
/// </para>
/// </summary>
public sealed class MediaFileReconciler(
    ApplicationData data, IMediaStorage storage, AccessPolicy access, ILogger<MediaFileReconciler> logger)
{
    /// <param name="databaseIsNew">
    /// The database was created by this start. Files that are already there then belong to another database (a wrong
    /// connection string or data directory), so none is removed.
    /// </param>
    public async Task<MediaFileReport> ReconcileAsync(bool databaseIsNew, CancellationToken ct = default)
    {
        access.RequireSystem();
        // System-wide on purpose: start-up recovery compares every application's rows with that application's folder.
        await using var db = await data.OpenSystemWideAsync(ct);
        var applications = await db.Applications.AsNoTracking().Select(a => a.Id).ToListAsync(ct);

        var unreferenced = new List<string>();
        var missing = new List<(long ApplicationId, string Key)>();
        // One application at a time, so memory holds one application's keys, not the whole library's.
        foreach (var applicationId in applications)
        {
            var referenced = await ReferencedKeysAsync(db, applicationId, ct);
            var files = storage.ListKeys(applicationId).ToHashSet(StringComparer.Ordinal);
            unreferenced.AddRange(files.Where(f => !referenced.Contains(f)));
            missing.AddRange(referenced.Where(k => !files.Contains(k)).Select(k => (applicationId, k)));
        }

        var restored = 0;
        foreach (var (applicationId, key) in missing.ToList())
        {
            if (unreferenced.FirstOrDefault(f => storage.KeyIn(f, applicationId) == key) is { } moved)
            {
                storage.MoveTo(moved, applicationId);
                unreferenced.Remove(moved);
                missing.Remove((applicationId, key));
                restored++;
            }
        }

        if (databaseIsNew && unreferenced.Count > 0)
        {
            logger.LogWarning(
                "The media folder holds {Count} file(s) but the database was created just now: check ConnectionStrings:Default and Storage:DataDirectory. The files were kept.",
                unreferenced.Count);
            return new MediaFileReport(restored, 0, missing.Count, unreferenced.Count);
        }
        foreach (var file in unreferenced)
        {
            storage.Delete(file);
        }
        if (restored + unreferenced.Count > 0)
        {
            logger.LogWarning(
                "Finished what a crash interrupted: put {Restored} media file(s) back where their media item expects them and removed {Removed} file(s) no media item refers to.",
                restored, unreferenced.Count);
        }
        if (missing.Count > 0)
        {
            logger.LogError("{Count} media item(s) have no file (removed outside the console?), e.g. {Keys}.",
                missing.Count, string.Join(", ", missing.Take(5).Select(m => m.Key)));
        }
        return new MediaFileReport(restored, unreferenced.Count, missing.Count, 0);
    }

    /// <summary>
    /// The files the application's rows refer to: media files, covers and storyboards, the trees of transcoding outputs, and files
    /// sent to API uploads not yet committed.
    /// </summary>
    private static async Task<HashSet<string>> ReferencedKeysAsync(VodDbContext db, long applicationId, CancellationToken ct)
    {
        var media = await db.Media.AsNoTracking().Where(m => m.ApplicationId == applicationId)
            .Select(m => new { m.StorageKey, m.CoverKey, m.StoryboardKeys }).ToListAsync(ct);
        var uploads = await db.ApiUploads.AsNoTracking().Where(u => u.ApplicationId == applicationId && u.State != ApiUploadState.Committed && u.StorageKey != null)
            .Select(u => u.StorageKey!).ToListAsync(ct);
        var outputs = await db.TranscodeJobs.AsNoTracking().Where(j => j.ApplicationId == applicationId && j.OutputKey != null)
            .Select(j => j.OutputKey!).ToListAsync(ct);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in media)
        {
            keys.Add(item.StorageKey);
            if (item.CoverKey is not null)
            {
                keys.Add(item.CoverKey);
            }
            keys.UnionWith(item.StoryboardKeys);
        }
        keys.UnionWith(uploads);
        keys.UnionWith(outputs);
        return keys;
    }
}
