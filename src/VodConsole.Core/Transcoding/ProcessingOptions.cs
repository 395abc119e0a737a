using VodConsole.Core.Common;

namespace VodConsole.Core.Transcoding;

/// <summary><c>Processing:*</c> — how transcoding jobs run.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>How many ffmpeg processes this server runs at once (each may use every core).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>
    /// How long a runner's claim holds without a heartbeat (it beats four times per lease). A server that dies leaves its
    /// job Running until the lease runs out; then any server takes it over.
    /// </summary>
    public TimeSpan JobLease { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Wakes the transcoding worker right after a job is queued.</summary>
public sealed class TranscodeSignal : WorkSignal;
