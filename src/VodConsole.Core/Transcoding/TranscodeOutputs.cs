using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;

namespace VodConsole.Core.Transcoding;

/// <summary>A job's committed output tree in storage, and its bytes in the storage figures.</summary>
internal sealed record TranscodeOutput(long JobId, long MediaId, string Key, long Bytes);

/// <summary>
/// The output trees of media items, for the operations that delete or move media with their derivative files. The
/// derivative rows follow their media in the database (foreign keys cascade; a move changes their application); the
/// caller handles the files.
/// </summary>
internal static class TranscodeOutputs
{
    public static async Task<List<TranscodeOutput>> OfAsync(VodDbContext db, IReadOnlyCollection<long> mediaIds, CancellationToken ct) =>
        await db.TranscodeJobs.AsNoTracking()
            .Where(j => mediaIds.Contains(j.MediaId) && j.OutputKey != null)
            .Select(j => new TranscodeOutput(j.Id, j.MediaId, j.OutputKey!, j.OutputBytes))
            .ToListAsync(ct);
}
