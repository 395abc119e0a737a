namespace VodConsole.Core.Roles;

/// <summary>
/// How changes reach every open tab without polling. The data layer publishes each committed change that affects what a
/// user may see (<see cref="ChangeFeedRecorder"/>); each open tab subscribes (its catalog watch and its sign-in check)
/// and reloads from the database when a change concerns it. <see cref="LocalChangeFeed"/> reaches the tabs of this
/// process (tests); <see cref="SqliteChangeFeed"/> also those of other processes on the database's machine (the server and
/// its shell commands); <see cref="PostgresChangeFeed"/> reaches every instance on the database.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Announces a change that is committed. Never throws for a delivery problem: the change itself stands.</summary>
    Task PublishAsync(ConsoleChange change, CancellationToken ct = default);

    /// <summary>
    /// Calls <paramref name="onChange"/> for every change from now until the subscription is disposed. It is called on
    /// the publisher's thread and must return at once (start the reload, do not await it).
    /// </summary>
    IDisposable Subscribe(Action<ConsoleChange> onChange);

    /// <summary>
    /// Whether changes published by other processes reach this one now (always, for a feed of one process). While it is
    /// false, this instance's tabs learn of another instance's change only at their next navigation or safety-net check.
    /// </summary>
    bool IsListening { get; }

    /// <summary>
    /// How often an open tab looks again without being told: the safety net for a change no notification announced (a
    /// process killed between its commit and its announcement). Slow on purpose: an idle tab costs a few queries per this interval, not per second.
    /// </summary>
    static readonly TimeSpan SafetyNetInterval = TimeSpan.FromMinutes(5);
}
