using Microsoft.Extensions.Options;
using VodConsole.Core.Callbacks;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Callbacks;

/// <summary>
/// Pushes callback events in the background, a few at a time so one slow receiver does not hold up the others. The
/// database is the queue: woken as soon as an event is saved, and polling for retries that fall due, so events saved
/// before a restart (or by another server) are delivered all the same.
/// </summary>
public sealed class CallbackDeliveryWorker(
    IServiceScopeFactory scopes, CallbackSignal signal, IOptions<CallbackOptions> options, ILogger<CallbackDeliveryWorker> logger)
    : QueueWorker<CallbackEvent>(scopes, signal, logger)
{
    public const int ConcurrentDeliveries = 4;

    protected override int Concurrency => ConcurrentDeliveries;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    // A failed delivery's claim expires and the event is tried again.
    protected override string WorkName => "Delivering a callback event";

    protected override Task<CallbackEvent?> ClaimNextAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<CallbackDelivery>().ClaimNextAsync(ct);

    protected override Task RunAsync(IServiceProvider services, CallbackEvent claim, CancellationToken ct) =>
        services.GetRequiredService<CallbackDelivery>().DeliverAsync(claim, ct);
}
