using VodConsole.Core.Common;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Setup;

/// <summary>
/// Background work taken from a queue in the database by a few loops at once. Each loop claims one item in a system
/// scope of its own and runs it; an idle loop waits for the signal (raised when work is queued here) or the poll
/// interval, so work queued by another server, or left behind by one that died, is found too. A failure is logged and
/// retried at the next poll: a busy database never stops the console.
/// </summary>
public abstract class QueueWorker<TClaim>(IServiceScopeFactory scopes, WorkSignal signal, ILogger logger) : BackgroundService
    where TClaim : class
{
    protected IServiceScopeFactory Scopes { get; } = scopes;

    protected ILogger Logger { get; } = logger;

    /// <summary>How many items run at once on this server.</summary>
    protected abstract int Concurrency { get; }

    protected abstract TimeSpan PollInterval { get; }

    /// <summary>What the log says failed, e.g. "Taking a pull job".</summary>
    protected abstract string WorkName { get; }

    /// <summary>Claims the next item, so no other loop or server takes it; null when nothing is waiting.</summary>
    protected abstract Task<TClaim?> ClaimNextAsync(IServiceProvider services, CancellationToken ct);

    protected abstract Task RunAsync(IServiceProvider services, TClaim claim, CancellationToken ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, Concurrency)).Select(_ => LoopAsync(stoppingToken)));

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await RunNextAsync(ct))
                {
                    await signal.WaitAsync(PollInterval, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> RunNextAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = Scopes.CreateSystemScope();
            if (await ClaimNextAsync(scope.ServiceProvider, ct) is not { } claim)
            {
                return false;
            }
            signal.Notify(); // more may be waiting: an idle loop looks while this one works
            await RunAsync(scope.ServiceProvider, claim, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Logger.LogError(ex, "{Work} failed; retrying in {Interval}.", WorkName, PollInterval);
            return false;
        }
    }
}
