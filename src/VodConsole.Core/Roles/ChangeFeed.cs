using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace VodConsole.Core.Roles;

/// <summary>The subscribers' side shared by both feeds: who listens, and delivery that one failing tab cannot stop.</summary>
public abstract class ChangeFeed(ILogger logger) : IChangeFeed
{
    private ImmutableArray<Action<ConsoleChange>> subscribers = [];

    public abstract Task PublishAsync(ConsoleChange change, CancellationToken ct = default);

    /// <summary>A feed of one process has no other process to hear.</summary>
    public virtual bool IsListening => true;

    public IDisposable Subscribe(Action<ConsoleChange> onChange)
    {
        ImmutableInterlocked.Update(ref subscribers, list => list.Add(onChange));
        return new Subscription(this, onChange);
    }

    /// <summary>How many tabs (and sign-in checks) listen now; for diagnostics and tests.</summary>
    public int SubscriberCount => subscribers.Length;

    /// <summary>Hands a change to every subscriber of this process.</summary>
    protected void Deliver(ConsoleChange change)
    {
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(change);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "A subscriber of the change feed failed on {Change}.", change);
            }
        }
    }

    private sealed class Subscription(ChangeFeed feed, Action<ConsoleChange> onChange) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                ImmutableInterlocked.Update(ref feed.subscribers, list => list.Remove(onChange));
            }
        }
    }
}
