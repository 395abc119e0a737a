using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Callbacks;

/// <summary>One event waiting in an application's pull queue, with the payload exactly as Push would post it.</summary>
public sealed record QueuedCallback(long EventId, CallbackEventType EventType, DateTime CreatedAt, string Payload);

/// <summary>
/// Pull mode: an application's events wait here, oldest first, until it reads them and acknowledges each one. Reading
/// changes nothing (a reader that crashes reads the same events again); only an acknowledgement removes an event from
/// the queue. For the server API, which resolves and checks the application itself.
/// </summary>
public sealed class CallbackQueue(ApplicationData data, AccessPolicy access, TimeProvider clock)
{
    public const int MaxBatch = 100;

    /// <summary>Up to <paramref name="max"/> unacknowledged events of the application, oldest first.</summary>
    public async Task<IReadOnlyList<QueuedCallback>> ReadAsync(long applicationId, int max = MaxBatch, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        var waiting = await Waiting(db).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(Math.Clamp(max, 1, MaxBatch)).ToListAsync(ct);
        return waiting.Select(e => new QueuedCallback(e.Id, e.Type, e.CreatedAt, CallbackPayload.Envelope(e))).ToList();
    }

    /// <summary>Marks the application's events as delivered; IDs that are unknown, another application's or already acknowledged are skipped.</summary>
    /// <returns>How many events this call acknowledged.</returns>
    public async Task<int> AckAsync(long applicationId, IReadOnlyCollection<long> eventIds, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(applicationId, ct);
        var ids = eventIds.Distinct().ToList();
        if (ids.Count > MaxBatch)
        {
            throw new DomainRuleException($"Acknowledge at most {MaxBatch} events at once; {ids.Count} were given.", "eventIds");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await data.OpenForAsync(applicationId, ct);
        // The isolated context's filter applies to the bulk update too: another application's IDs match nothing.
        return await Waiting(db).Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.State, CallbackEventState.Delivered)
            .SetProperty(e => e.CompletedAt, now), ct);
    }

    private static IQueryable<CallbackEvent> Waiting(VodDbContext db) =>
        db.CallbackEvents.Where(e => e.Delivery == CallbackMode.Pull && e.State == CallbackEventState.Pending);
}
