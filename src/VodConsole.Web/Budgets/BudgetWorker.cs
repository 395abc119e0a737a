using VodConsole.Core.Budgets;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Budgets;

/// <summary>
/// Runs <see cref="BudgetMonitor"/> when usage was recorded on this server (<see cref="BudgetSignal"/>) and at least
/// every minute (usage recorded by another server, a new month). A wake-up waits a moment first: usage is often recorded
/// inside its operation's transaction, and a burst of plays or uploads is evaluated once.
/// </summary>
public sealed class BudgetWorker(IServiceScopeFactory scopes, BudgetSignal signal, ILogger<BudgetWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await signal.WaitAsync(PollInterval, stoppingToken))
                {
                    await Task.Delay(Coalesce, stoppingToken);
                }
                await using var scope = scopes.CreateSystemScope();
                var recorded = await scope.ServiceProvider.GetRequiredService<BudgetMonitor>().EvaluateAllAsync(stoppingToken);
                if (recorded > 0)
                {
                    logger.LogInformation("Announced {Count} budget threshold(s).", recorded);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Evaluating budget thresholds failed; retrying in {Interval}.", PollInterval);
            }
        }
    }
}
