namespace VodConsole.Core.Callbacks;

/// <summary><c>Callbacks:*</c> — how push callbacks are delivered.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>5 s, 30 s, 2 min, 10 min, 1 h: a receiver that is down for a deploy gets its events within the hour.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>
    /// The wait after each failed attempt; one attempt more than delays is made before the event is Failed. Empty means
    /// <see cref="DefaultRetryDelays"/> (the binder appends to a non-empty default array instead of replacing it).
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>How long one attempt may take, from connecting to the end of the response headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the delivery worker looks for due events when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many days events (and their attempts) are kept after they were recorded, delivered or not; an unread pull
    /// event older than this is dropped too. At least 1.
    /// </summary>
    public int RetentionDays { get; set; } = 30;

    public IReadOnlyList<TimeSpan> Delays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    public int MaxAttempts => Delays.Count + 1;

    /// <summary>A claim outlives one attempt with room to spare, so only a worker that stopped loses its claim.</summary>
    public TimeSpan ClaimDuration => Timeout + TimeSpan.FromSeconds(60);
}
