using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Callbacks;

public sealed record CallbackLogPage(IReadOnlyList<CallbackEvent> Events, CallbackLogCursor? NextBefore);

/// <summary>Where the next page of the log starts: after the event created at this time with this ID.</summary>
public sealed record CallbackLogCursor(DateTime CreatedAt, long Id);

/// <summary>One event with the exact payload the application receives and every push attempt, oldest first.</summary>
public sealed record CallbackEventDetails(CallbackEvent Event, string Payload, IReadOnlyList<CallbackAttempt> Attempts);

/// <summary>
/// The current application's delivery log: events newest first in keyset pages, one event's attempts, and the two
/// events an operator makes by hand — a test event, and a replay of an earlier one as a new delivery.
/// </summary>
public sealed class CallbackLog(ApplicationData data, AccessPolicy access, AuditLog audit, CallbackEvents events, CallbackSignal signal)
{
    public const int MaxPageSize = 100;
    public const string OffMessage = "Callbacks are off for this application. Choose Push or Pull and save first.";

    /// <summary>Newest first by creation time, the ID (random) breaking ties; never OFFSET.</summary>
    public async Task<CallbackLogPage> PageAsync(CallbackLogCursor? before, int size = 20, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        await using var db = await data.OpenAsync(ct);
        var query = db.CallbackEvents.AsNoTracking();
        if (before is not null)
        {
            query = query.Where(e => e.CreatedAt < before.CreatedAt || (e.CreatedAt == before.CreatedAt && e.Id < before.Id));
        }
        var (page, hasMore) = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).TakePageAsync(size, ct);
        return new CallbackLogPage(page, hasMore ? new CallbackLogCursor(page[^1].CreatedAt, page[^1].Id) : null);
    }

    /// <summary>The event of the current application with its attempts, or null (another application's ID is not found).</summary>
    public async Task<CallbackEventDetails?> FindAsync(long eventId, CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var found = await db.CallbackEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (found is null)
        {
            return null;
        }
        var attempts = await db.CallbackAttempts.AsNoTracking().Where(a => a.EventId == eventId).OrderBy(a => a.Number).ToListAsync(ct);
        return new CallbackEventDetails(found, CallbackPayload.Envelope(found), attempts);
    }

    /// <summary>Queues a <see cref="CallbackEventType.Test"/> event in the current mode: pushed at once, or waiting in the pull queue.</summary>
    public async Task<CallbackEvent> SendTestAsync(CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var test = new { Message = "This is a test event from VodConsole. Verify its signature and answer with HTTP 2xx." };
        return await QueueAsync(CallbackEventType.Test, CallbackPayload.DataJson(test), null, AuditActions.CallbackTestSent, ct);
    }

    /// <summary>Queues an earlier event again as a new delivery (new event ID, <c>ReplayOf</c> the original) in the current mode.</summary>
    public async Task<CallbackEvent> ReplayAsync(long eventId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        CallbackEvent original;
        await using (var db = await data.OpenAsync(ct))
        {
            original = await db.CallbackEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct)
                ?? throw new DomainRuleException("Not found: this event does not exist in this application.");
        }
        return await QueueAsync(original.Type, original.Data, original.Id, AuditActions.CallbackReplayed, ct);
    }

    private async Task<CallbackEvent> QueueAsync(CallbackEventType type, string dataJson, long? replayOf, string action, CancellationToken ct)
    {
        await using var db = await data.OpenAsync(ct);
        var mode = await db.CallbackSettings.Select(s => (CallbackMode?)s.Mode).SingleOrDefaultAsync(ct) ?? CallbackMode.Off;
        if (mode == CallbackMode.Off)
        {
            throw new DomainRuleException(OffMessage);
        }
        var created = events.Create(db.IsolatedApplicationId!.Value, type, mode, dataJson);
        created.ReplayOfId = replayOf;
        db.CallbackEvents.Add(created);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(action, created.ApplicationId, $"Callback event {created.Id}", null,
            new { EventType = type.ToString(), Delivery = mode.ToString(), ReplayOf = replayOf }, ct);
        signal.Notify();
        return created;
    }
}
