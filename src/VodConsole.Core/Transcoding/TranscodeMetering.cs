using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Transcoding;

/// <summary>
/// What a finished job leaves besides its files: the output seconds it is billed for, and its <c>TranscodeComplete</c>
/// event. Both are written in the caller's context and transaction, so they commit with the job's result or not at all.
/// </summary>
public sealed class TranscodeMetering(UsageRecorder usage, CallbackEvents callbacks)
{
    /// <summary>
    /// Output seconds per tier: every rendition's duration (the HLS master playlist is an index, not an output), summed
    /// per tier and rounded to whole seconds. The total is the sum of the tiers, so the breakdown always adds up.
    /// </summary>
    public static IReadOnlyDictionary<UsageMetric, long> SecondsByTier(IEnumerable<MediaDerivative> derivatives) =>
        derivatives
            .Where(d => d.Kind != DerivativeKind.MasterPlaylist)
            .GroupBy(d => UsageMetrics.TranscodeTierOf(d.Kind == DerivativeKind.Audio ? null : d.Height))
            .Select(g => (Tier: g.Key, Seconds: (long)Math.Round(g.Sum(d => d.DurationSeconds ?? 0), MidpointRounding.AwayFromZero)))
            .Where(t => t.Seconds > 0)
            .ToDictionary(t => t.Tier, t => t.Seconds);

    /// <summary>Counts a job that reached Done: a re-run counts again, as it was work done again.</summary>
    public async Task RecordDoneAsync(VodDbContext db, TranscodeJob job, IReadOnlyList<MediaDerivative> derivatives, CancellationToken ct)
    {
        var tiers = SecondsByTier(derivatives);
        foreach (var (tier, seconds) in tiers)
        {
            await usage.AddAsync(db, job.ApplicationId, tier, seconds, ct);
        }
        await usage.AddAsync(db, job.ApplicationId, UsageMetric.TranscodeSeconds, tiers.Values.Sum(), ct);
        await AddEventAsync(db, job, derivatives, ct);
    }

    /// <summary>Adds the <c>TranscodeComplete</c> event (Done with its files, or Failed with the reason) to the job's save.</summary>
    public Task AddEventAsync(VodDbContext db, TranscodeJob job, IReadOnlyList<MediaDerivative> derivatives, CancellationToken ct) =>
        callbacks.AddAsync(db, job.ApplicationId, CallbackEventType.TranscodeComplete, new
        {
            JobId = job.Id,
            job.MediaId,
            job.TemplateId,
            job.TemplateName,
            State = job.State.ToString(),
            job.FailureReason,
            job.Attempt,
            Files = derivatives.Select(d => new
            {
                d.Rendition,
                Kind = d.Kind.ToString(),
                d.Width,
                d.Height,
                d.BitrateBps,
                d.SizeBytes,
                d.DurationSeconds,
                d.UrlPath,
            }),
        }, ct);
}
