using VodConsole.Core.Access;
using VodConsole.Core.Instances;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Access;

/// <summary>
/// Removes grants and view-as sessions as they end (<see cref="AccessLapses"/>), within a second or so of their end: it
/// sleeps until the next one is due rather than polling, and wakes early when the change feed announces a change to a
/// user (a grant or session set here or on another instance may end sooner). One run per second at most across
/// instances (<see cref="PeriodLeases"/>); two that still race remove each grant once (the removal is fenced by its row).
/// </summary>
public sealed class AccessLapseWorker(
    IServiceScopeFactory scopes, IChangeFeed feed, TimeProvider clock, ILogger<AccessLapseWorker> logger) : BackgroundService
{
    /// <summary>The period lease's length: how often at most any instance runs the lapses.</summary>
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Looks anyway this often: for an end nobody announced (a change made outside this console's data layer).</summary>
    internal static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wake = new SemaphoreSlim(0, 1);
        using var subscription = feed.Subscribe(change =>
        {
            if (change.Kind != ConsoleChangeKind.Account && wake.CurrentCount == 0)
            {
                try
                {
                    wake.Release();
                }
                catch (SemaphoreFullException)
                {
                }
            }
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = await RunOnceAsync(stoppingToken);
            try
            {
                await wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs the lapses if this instance takes the period; returns how long to sleep before looking again.</summary>
    private async Task<TimeSpan> RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var periods = scope.ServiceProvider.GetRequiredService<PeriodLeases>();
            if (!await periods.TryStartAsync(nameof(AccessLapseWorker), Period, ct))
            {
                return Period; // another instance runs now; look again when its period is over
            }
            var lapses = scope.ServiceProvider.GetRequiredService<AccessLapses>();
            await lapses.LapseDueAsync(ct);
            var next = await lapses.NextDueAsync(ct);
            var until = next is { } due ? due - clock.GetUtcNow().UtcDateTime : SafetyNet;
            // Not before the period ends (the lease would refuse), and a little after the instant: its end is "at or after".
            return until < Period ? Period : until > SafetyNet ? SafetyNet : until + TimeSpan.FromMilliseconds(50);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Removing ended grants and view-as sessions failed; retrying in {Interval}.", RetryAfterFailure);
            return RetryAfterFailure;
        }
    }
}
