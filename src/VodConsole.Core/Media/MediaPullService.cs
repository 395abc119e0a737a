using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Budgets;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Network;

namespace VodConsole.Core.Media;

/// <summary>The current application's pull jobs: queue URLs, and list the latest with their progress.</summary>
public sealed class MediaPullService(
    ApplicationData data, AccessPolicy access, AuditLog audit, MediaPullSignal signal, OutboundAddressPolicy addresses, TimeProvider clock)
{
    public const int ListSize = 50;
    private const int ProblemsShown = 5;

    /// <summary>Queues one job per URL, or queues nothing and says what is wrong with the list.</summary>
    public async Task<IReadOnlyList<MediaPull>> SubmitAsync(string? text, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var list = MediaPullUrls.Parse(text, addresses);
        if (!list.IsValid)
        {
            var shown = list.Problems.Take(ProblemsShown).ToList();
            if (list.Problems.Count > shown.Count)
            {
                shown.Add($"… and {list.Problems.Count - shown.Count} more.");
            }
            throw new DomainRuleException(string.Join("\n", shown), "urls");
        }

        await using var db = await data.OpenAsync(ct);
        await BudgetRules.RefuseIfStoppedAsync(db, db.IsolatedApplicationId!.Value, clock, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var jobs = list.Urls.Select(url => new MediaPull
        {
            ApplicationId = db.IsolatedApplicationId!.Value,
            Url = url.AbsoluteUri,
            FileName = MediaPullUrls.FileNameOf(url),
            State = MediaPullState.Queued,
            CreatedAt = now,
        }).ToList();
        db.MediaPulls.AddRange(jobs);
        await db.SaveChangesAsync(ct);
        foreach (var job in jobs)
        {
            await audit.RecordAsync(AuditActions.MediaPullQueued, job.ApplicationId, $"Pull {job.Id}", null, new { job.Url }, ct);
        }
        signal.Notify();
        return jobs;
    }

    /// <summary>The latest jobs first, each done one with its media (when that still exists).</summary>
    public async Task<IReadOnlyList<MediaPull>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.MediaPulls.AsNoTracking()
            .Include(p => p.Media)
            .OrderByDescending(p => p.Id)
            .Take(ListSize)
            .ToListAsync(ct);
    }
}

/// <summary>Wakes the pull worker right after URLs are submitted.</summary>
public sealed class MediaPullSignal : WorkSignal;
