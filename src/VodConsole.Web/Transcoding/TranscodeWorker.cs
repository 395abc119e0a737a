using Microsoft.Extensions.Options;
using VodConsole.Core.Instances;
using VodConsole.Core.Transcoding;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Transcoding;

/// <summary>
/// Runs transcoding jobs in the background, at most <c>Processing:MaxConcurrentJobs</c> ffmpeg processes at a time. Woken
/// right after a job is queued and polling every few seconds; the database is the queue, so a job queued by another
/// server, or left Running by a server that died (once its lease ran out), is found too.
/// </summary>
public sealed class TranscodeWorker(
    IServiceScopeFactory scopes, TranscodeSignal signal, IOptions<ProcessingOptions> options, ILogger<TranscodeWorker> logger)
    : QueueWorker<JobLease<TranscodeJob>>(scopes, signal, logger)
{
    protected override int Concurrency => options.Value.MaxConcurrentJobs;

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    protected override string WorkName => "Taking a transcoding job";

    protected override Task<JobLease<TranscodeJob>?> ClaimNextAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<TranscodeRunner>().ClaimNextAsync(ct);

    protected override Task RunAsync(IServiceProvider services, JobLease<TranscodeJob> claim, CancellationToken ct) =>
        services.GetRequiredService<TranscodeRunner>().RunAsync(claim, ct);
}
