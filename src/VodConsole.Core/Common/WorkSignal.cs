namespace VodConsole.Core.Common;

/// <summary>
/// Wakes a background worker as soon as there is work instead of at its next poll. In-process only: the database stays
/// the queue, so another server or a restart finds the work by polling.
/// </summary>
public abstract class WorkSignal
{
    private readonly SemaphoreSlim pending = new(0, 1);

    public void Notify()
    {
        try
        {
            pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up takes everything waiting.
        }
    }

    /// <summary>Returns when notified (true) or when the timeout passes (false), whichever is first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => pending.WaitAsync(timeout, ct);
}
