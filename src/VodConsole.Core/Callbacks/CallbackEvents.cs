using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Callbacks;

/// <summary>
/// Records events into the context of the change that causes them, before the caller saves: the change and its event
/// are written by the same <c>SaveChanges</c> (or transaction), so if the save fails there is no event, and once it
/// succeeded the event is in the queue whatever happens next. An event is recorded only when the application's
/// settings subscribe to its type.
/// </summary>
public sealed class CallbackEvents(CallbackSignal signal, TimeProvider clock)
{
    /// <summary>Adds the event to <paramref name="db"/> (isolated to the application, or system-wide) if it is subscribed to.</summary>
    /// <param name="data">The payload's <c>Data</c>, serialized now: it describes the item as it is at this change.</param>
    public async Task AddAsync(VodDbContext db, long applicationId, CallbackEventType type, object data, CancellationToken ct = default)
    {
        var settings = await db.CallbackSettings.AsNoTracking()
            .Where(s => s.ApplicationId == applicationId)
            .Select(s => new { s.Mode, s.EventTypes })
            .SingleOrDefaultAsync(ct);
        if (settings is null || settings.Mode == CallbackMode.Off || !CallbackSubscriptions.Parse(settings.EventTypes).Contains(type))
        {
            return;
        }
        db.CallbackEvents.Add(Create(applicationId, type, settings.Mode, CallbackPayload.DataJson(data)));
        // Wakes the delivery worker once the event is saved; before that it would find nothing.
        db.SavedChanges += (_, _) => signal.Notify();
    }

    /// <summary>A new event waiting for delivery in the given mode (for test events and replays, which are always recorded).</summary>
    internal CallbackEvent Create(long applicationId, CallbackEventType type, CallbackMode delivery, string dataJson)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new CallbackEvent
        {
            ApplicationId = applicationId,
            Type = type,
            Delivery = delivery,
            State = CallbackEventState.Pending,
            Data = dataJson,
            CreatedAt = now,
            NextAttemptAt = delivery == CallbackMode.Push ? now : null,
        };
    }
}

/// <summary>Which event types an application subscribes to, stored as comma-separated names.</summary>
public static class CallbackSubscriptions
{
    /// <summary>Every type an operator may choose (the test event is sent on request, never subscribed to).</summary>
    public static IReadOnlyList<CallbackEventType> Choosable { get; } =
        Enum.GetValues<CallbackEventType>().Where(t => t != CallbackEventType.Test).ToList();

    public static IReadOnlySet<CallbackEventType> Parse(string? stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => Enum.TryParse<CallbackEventType>(name, out var type) ? type : (CallbackEventType?)null)
            .OfType<CallbackEventType>()
            .Where(t => t != CallbackEventType.Test)
            .ToHashSet();

    /// <summary>
    /// The events ticked once the operator chooses <paramref name="mode"/>: every one when Push or Pull is chosen with
    /// none ticked (a delivery mode without events would record nothing), else the choice as it was.
    /// </summary>
    public static IReadOnlySet<CallbackEventType> WhenChoosing(CallbackMode mode, IReadOnlySet<CallbackEventType> chosen) =>
        mode != CallbackMode.Off && chosen.Count == 0 ? Choosable.ToHashSet() : chosen;

    public static string Format(IEnumerable<CallbackEventType> types) =>
        string.Join(',', types.Where(t => t != CallbackEventType.Test).Distinct().Order());

    /// <summary>How the page and the audit log name a type.</summary>
    public static string Label(CallbackEventType type) => type switch
    {
        CallbackEventType.UploadComplete => "Upload complete",
        CallbackEventType.MediaProcessed => "Media processed",
        CallbackEventType.MediaUpdated => "Media updated",
        CallbackEventType.MediaDeleted => "Media deleted",
        CallbackEventType.MediaMoved => "Media moved",
        CallbackEventType.ApplicationDisabled => "Application disabled",
        CallbackEventType.ApplicationEnabled => "Application enabled",
        CallbackEventType.TranscodeComplete => "Transcoding complete",
        CallbackEventType.ReviewComplete => "Review complete",
        CallbackEventType.BudgetThreshold => "Budget threshold",
        _ => "Test event",
    };
}

/// <summary>Wakes the delivery worker as soon as a push event is saved.</summary>
public sealed class CallbackSignal : WorkSignal;
