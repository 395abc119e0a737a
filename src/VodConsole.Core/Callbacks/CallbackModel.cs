using VodConsole.Core.Common;

namespace VodConsole.Core.Callbacks;

/// <summary>How an application hears about its events: not at all, by HTTP POST to its URL, or by reading a queue.</summary>
public enum CallbackMode { Off, Push, Pull }

/// <summary>
/// What happened. The names are the <c>EventType</c> of the payload, so they never change once released.
/// <see cref="Test"/> is sent on request from the callbacks page and cannot be subscribed to.
/// </summary>
public enum CallbackEventType
{
    UploadComplete,
    MediaProcessed,
    MediaUpdated,
    MediaDeleted,
    MediaMoved,
    ApplicationDisabled,
    ApplicationEnabled,
    TranscodeComplete,
    /// <summary>A reviewer approved (or unblocked) or blocked a media item, in the console or over the API.</summary>
    ReviewComplete,
    /// <summary>An application's usage reached 80 or 100 % of its monthly budget or a quota.</summary>
    BudgetThreshold,
    Test,
}

/// <summary>Where an event is on its way to the application: waiting, being retried, delivered (or acknowledged), or given up.</summary>
public enum CallbackEventState { Pending, Retrying, Delivered, Failed }

/// <summary>
/// An application's callback configuration. No row means callbacks are off. Saving mode, URL or events bumps
/// <see cref="Version"/>, so an operator who saves over a change made after opening the page is told instead.
/// </summary>
public sealed class CallbackSettings : IApplicationOwned, IVersioned
{
    public const int UrlMaxLength = 2048;
    public const int ProtectedKeyMaxLength = 1000;
    public const int EventTypesMaxLength = 400;

    public long ApplicationId { get; set; }
    public CallbackMode Mode { get; set; }
    /// <summary>Where Push mode posts events; kept while another mode is chosen, so switching back needs no retyping.</summary>
    public string? Url { get; set; }
    /// <summary>The subscribed <see cref="CallbackEventType"/> names, comma-separated.</summary>
    public string EventTypes { get; set; } = "";
    /// <summary>The signing key encrypted with ASP.NET Core Data Protection; never stored or logged in clear.</summary>
    public string? ProtectedKey { get; set; }
    public long Version { get; set; }
    public DateTime ModifiedAt { get; set; }
}

/// <summary>
/// One event of an application, stored in the same save as the change that caused it, so a crash can neither lose nor
/// invent one. The table is the delivery queue: Push events are claimed by the delivery worker, Pull events wait for the
/// application to read and acknowledge them.
/// </summary>
public sealed class CallbackEvent : IApplicationOwned
{
    public const int ResultMaxLength = 500;

    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public CallbackEventType Type { get; set; }
    /// <summary>How it is delivered, fixed when it is recorded (a later change of mode does not strand it in the other queue).</summary>
    public CallbackMode Delivery { get; set; }
    public CallbackEventState State { get; set; }
    /// <summary>The payload's <c>Data</c> object as JSON; the envelope around it is built from the columns.</summary>
    public string Data { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    /// <summary>The event this one repeats (a replay from the delivery log).</summary>
    public long? ReplayOfId { get; set; }

    /// <summary>Push attempts made so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When the next push attempt is due; null for pull events and finished ones.</summary>
    public DateTime? NextAttemptAt { get; set; }
    /// <summary>
    /// A worker's claim on the next attempt: the token it set with a conditional update, valid until
    /// <see cref="ClaimedUntil"/>, after which another worker (or server, or the next start) may take the event.
    /// </summary>
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }

    public int? LastStatusCode { get; set; }
    public int? LastLatencyMs { get; set; }
    /// <summary>The last attempt's response excerpt or error, at most <see cref="ResultMaxLength"/> characters.</summary>
    public string? LastResult { get; set; }
    /// <summary>When it was delivered (push) or acknowledged (pull), or given up.</summary>
    public DateTime? CompletedAt { get; set; }
}

/// <summary>One push attempt of an event: when, the answer (status code or error), how long it took and what came back.</summary>
public sealed class CallbackAttempt : IApplicationOwned
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public long EventId { get; set; }
    public int Number { get; set; }
    public DateTime StartedAt { get; set; }
    public int? StatusCode { get; set; }
    /// <summary>Why no status code came back (timeout, refused address, connection failed).</summary>
    public string? Error { get; set; }
    public int LatencyMs { get; set; }
    /// <summary>The start of the response body, as text without control characters, at most 500 characters.</summary>
    public string? ResponseExcerpt { get; set; }

    public bool Succeeded => StatusCode is >= 200 and < 300;
}
