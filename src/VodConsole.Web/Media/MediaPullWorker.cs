using VodConsole.Core.Roles;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Media;

/// <summary>
/// Pulls submitted URLs in the background, a few at a time so one slow server does not hold up the rest. Woken right
/// after a submit and polling every few seconds; the database is the queue, and a pull whose instance died is taken over
/// once its lease runs out (start-up gives back at once the leases of instances that are not alive, decision 0017).
/// </summary>
public sealed class MediaPullWorker(
    IServiceScopeFactory scopes, MediaPullSignal signal, ILogger<MediaPullWorker> logger)
    : QueueWorker<JobLease<MediaPull>>(scopes, signal, logger)
{
    protected override int Concurrency => 3;

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    protected override string WorkName => "Taking a pull job";

    protected override Task<JobLease<MediaPull>?> ClaimNextAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<MediaPuller>().ClaimNextAsync(ct);

    protected override Task RunAsync(IServiceProvider services, JobLease<MediaPull> claim, CancellationToken ct) =>
        services.GetRequiredService<MediaPuller>().PullAsync(claim, ct);
}
