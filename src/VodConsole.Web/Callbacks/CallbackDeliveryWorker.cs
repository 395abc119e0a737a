using VodConsole.Core.Roles;
using Microsoft.Extensions.Options;
using VodConsole.Core.Callbacks;

namespace VodConsole.Web.Callbacks;

/// <summary>
/// Pushes callback events in the background, a few at a time so one slow receiver does not hold up the others. The
/// database is the queue: woken as soon as an event is saved, and polling for retries that fall due, so events saved
/// before a restart (or by another server) are delivered all the same.
/// </summary>
public sealed class CallbackDeliveryWorker(
    IServiceScopeFactory scopes, CallbackSignal signal, IOptions<CallbackOptions> options, ILogger<CallbackDeliveryWorker> logger)
    : BackgroundService
{
    public const int ConcurrentDeliveries = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, ConcurrentDeliveries).Select(_ => DeliveryLoopAsync(stoppingToken)));

    private async Task DeliveryLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await DeliverNextAsync(ct))
                {
                    await signal.WaitAsync(options.Value.PollInterval, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> DeliverNextAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var delivery = scope.ServiceProvider.GetRequiredService<CallbackDelivery>();
            if (await delivery.ClaimNextAsync(ct) is not { } claimed)
            {
                return false;
            }
            signal.Notify(); // more may be due: an idle loop looks while this one waits for the receiver
            await delivery.DeliverAsync(claimed, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The database busy, say: the claim expires and the event is tried again; the worker must not stop the console.
            logger.LogError(ex, "Delivering a callback event failed; retrying in {Interval}.", options.Value.PollInterval);
            return false;
        }
    }
}
