using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Budgets;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Core.Transcoding;

/// <summary>A media item's transcoding: each job with its derivative files (empty until it is done once).</summary>
public sealed record MediaTranscoding(TranscodeJob Job, IReadOnlyList<MediaDerivative> Derivatives)
{
    /// <summary>The job's HLS master playlist, when its output is an HLS tree.</summary>
    public MediaDerivative? MasterPlaylist => Derivatives.FirstOrDefault(d => d.Kind == DerivativeKind.MasterPlaylist);

    /// <summary>What the details page plays as "Adaptive (HLS)": the most recently finished Done job with a master playlist.</summary>
    public static MediaTranscoding? LatestHls(IEnumerable<MediaTranscoding> transcodings) =>
        transcodings.Where(t => t.Job.State == TranscodeJobState.Done && t.MasterPlaylist is not null).MaxBy(t => t.Job.FinishedAt);
}

/// <summary>
/// The current application's transcoding jobs: start (one media item from its page, or a bulk selection), follow,
/// cancel and retry. Jobs are application-owned rows read and written through <see cref="ApplicationData"/>; the
/// runner (<see cref="TranscodeRunner"/>) takes them from the database.
/// </summary>
public sealed class TranscodeJobs(ApplicationData data, AccessPolicy access, AuditLog audit, TranscodeSignal signal, TimeProvider clock)
{
    /// <summary>
    /// Queues the template for each of the media items (at most <see cref="MediaSelection.MaxItems"/>, all of this
    /// application and ready, or none is queued). A media item already transcoded with the template is queued again and
    /// its output replaced when done; one whose job is still queued or running is left as it is. Returns how many were queued.
    /// </summary>
    public async Task<int> StartAsync(IReadOnlyCollection<long> mediaIds, long templateId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        await BudgetRules.RefuseIfStoppedAsync(db, db.IsolatedApplicationId!.Value, clock, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var template = await TranscodeTemplates.ResolveAsync(db, templateId, ct);
        var items = await MediaSelection.LoadAsync(db, mediaIds, ct);
        if (items.FirstOrDefault(m => m.Status != MediaStatus.Normal) is { } notReady)
        {
            throw new DomainRuleException($"\"{notReady.Title}\" is not ready ({notReady.Status}); transcode it once processing has finished. Nothing was queued.");
        }
        if (items.FirstOrDefault(m => MediaContent.KindOf(m.ContentType) == MediaKind.Image) is { } image)
        {
            throw new DomainRuleException($"\"{image.Title}\" is an image; only video and audio can be transcoded. Nothing was queued.");
        }
        var ids = items.Select(m => m.Id).ToList();
        var existing = await db.TranscodeJobs.Where(j => ids.Contains(j.MediaId) && j.TemplateId == templateId).ToDictionaryAsync(j => j.MediaId, ct);
        var queued = new List<MediaItem>();
        foreach (var item in items)
        {
            if (existing.TryGetValue(item.Id, out var job) && job.IsActive)
            {
                continue;
            }
            if (job is null)
            {
                job = new TranscodeJob { ApplicationId = item.ApplicationId, MediaId = item.Id, TemplateId = templateId, CreatedAt = Now };
                db.TranscodeJobs.Add(job);
            }
            Queue(job, template);
            queued.Add(item);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var item in queued)
        {
            await audit.RecordAsync(AuditActions.TranscodeStarted, item.ApplicationId, AuditTargets.Media(item.Id, item.Title), null,
                new { Template = template.Name, TemplateId = template.Id }, ct);
        }
        signal.Notify();
        return queued.Count;
    }

    /// <summary>A media item's jobs, newest first, each with its derivative files.</summary>
    public async Task<IReadOnlyList<MediaTranscoding>> ListForMediaAsync(long mediaId, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var jobs = await db.TranscodeJobs.AsNoTracking().Where(j => j.MediaId == mediaId).OrderByDescending(j => j.Id).ToListAsync(ct);
        var derivatives = await db.MediaDerivatives.AsNoTracking().Where(d => d.MediaId == mediaId).OrderBy(d => d.Id).ToListAsync(ct);
        return jobs.Select(j => new MediaTranscoding(j, derivatives.Where(d => d.JobId == j.Id).ToList())).ToList();
    }

    /// <summary>
    /// Cancels a queued or running job. A running one's ffmpeg is stopped by its runner at the next heartbeat (its claim
    /// is gone); its earlier output, if any, stays.
    /// </summary>
    public async Task CancelAsync(long jobId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var job = await db.TranscodeJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct) ?? throw NotFound();
        var now = Now;
        var cancelled = await db.TranscodeJobs
            .Where(j => j.Id == jobId && (j.State == TranscodeJobState.Queued || j.State == TranscodeJobState.Running))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, TranscodeJobState.Cancelled)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTime?)null)
                .SetProperty(j => j.FinishedAt, now), ct);
        if (cancelled == 0)
        {
            throw new DomainRuleException($"This job is {job.State} already; only a queued or running job can be cancelled.");
        }
        await audit.RecordAsync(AuditActions.TranscodeCancelled, job.ApplicationId, $"Transcoding job {job.Id}", new { State = job.State.ToString() },
            new { State = nameof(TranscodeJobState.Cancelled), job.MediaId, Template = job.TemplateName }, ct);
    }

    /// <summary>Queues a failed, cancelled or done job again with the template as it was queued; its output is replaced when it is done.</summary>
    public async Task RetryAsync(long jobId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var job = await db.TranscodeJobs.SingleOrDefaultAsync(j => j.Id == jobId, ct) ?? throw NotFound();
        if (job.IsActive)
        {
            throw new DomainRuleException($"This job is {job.State}; retry it once it has finished, failed or been cancelled.");
        }
        await BudgetRules.RefuseIfStoppedAsync(db, job.ApplicationId, clock, ct);
        Queue(job, null);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException("This job changed meanwhile; look at its state and try again.");
        }
        await audit.RecordAsync(AuditActions.TranscodeStarted, job.ApplicationId, $"Transcoding job {job.Id}", null,
            new { job.MediaId, Template = job.TemplateName, Retry = true }, ct);
        signal.Notify();
    }

    /// <summary>Queues the application's default processing for a media item that processing just made ready, in the caller's save.</summary>
    internal static async Task AddDefaultAsync(VodDbContext db, MediaItem item, TimeProvider clock, CancellationToken ct)
    {
        if (MediaContent.KindOf(item.ContentType) == MediaKind.Image
            || await db.TranscodeSettings.Where(s => s.ApplicationId == item.ApplicationId).Select(s => s.DefaultTemplateId).SingleOrDefaultAsync(ct)
                is not { } templateId)
        {
            return;
        }
        // The processor's context spans applications: look the template up for the item's own application only.
        var template = TranscodePresets.Find(templateId)
            ?? (await db.TranscodeTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.ApplicationId == item.ApplicationId, ct))?.ToView();
        if (template is null)
        {
            return;
        }
        var job = new TranscodeJob
        {
            ApplicationId = item.ApplicationId, MediaId = item.Id, TemplateId = templateId, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        Queue(job, template, clock);
        db.TranscodeJobs.Add(job);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private void Queue(TranscodeJob job, TranscodeTemplateView? template) => Queue(job, template, clock);

    /// <summary>Back to Queued, with the template's current settings when one is given (a retry keeps what the job had).</summary>
    private static void Queue(TranscodeJob job, TranscodeTemplateView? template, TimeProvider clock)
    {
        if (template is not null)
        {
            job.TemplateName = template.Name;
            job.Format = template.Format;
            job.Renditions = template.Renditions.ToList();
        }
        job.State = TranscodeJobState.Queued;
        job.Percent = 0;
        job.FailureReason = null;
        job.LeaseOwner = null;
        job.LeaseUntil = null;
        job.StartedAt = null;
        job.FinishedAt = null;
        job.CreatedAt = clock.GetUtcNow().UtcDateTime;
    }

    internal static ResourceNotFoundException NotFound() => new("TranscodeJob", "Not found: this transcoding job does not exist in this application.");
}
