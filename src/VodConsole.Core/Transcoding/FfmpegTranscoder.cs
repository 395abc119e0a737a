using System.Diagnostics;
using System.Globalization;
using VodConsole.Core.Media;

namespace VodConsole.Core.Transcoding;

/// <summary>A job cannot produce its output; the message is the job's failure reason, written for an operator.</summary>
public sealed class TranscodeFailedException(string message) : Exception(message);

/// <summary>What a job will produce from a given source: the template's renditions that fit, never an upscale.</summary>
public sealed record TranscodePlan(TranscodeFormat Format, IReadOnlyList<TranscodeRendition> Renditions)
{
    /// <summary>Keeps the renditions no higher than the source; refuses a source the format cannot use.</summary>
    public static TranscodePlan For(TranscodeFormat format, IReadOnlyList<TranscodeRendition> renditions, MediaProbeResult source)
    {
        if (format == TranscodeFormat.Audio)
        {
            return source.AudioCodec is null
                ? throw new TranscodeFailedException("The media has no sound, so there is no audio to extract.")
                : new(format, renditions);
        }
        if (source.Height is not { } height || source.Width is null)
        {
            throw new TranscodeFailedException("The media has no picture; use the audio-only preset for audio.");
        }
        var kept = renditions.Where(r => r.Height <= height).ToList();
        return kept.Count > 0
            ? new(format, kept)
            : throw new TranscodeFailedException(
                $"The source is {height} pixels high and every rendition of this template is higher ({string.Join(", ", renditions.Select(r => $"{r.Height}p"))}); " +
                "the console never upscales. Use a template with a rendition of at most that height.");
    }
}

/// <summary>
/// Runs ffmpeg for a plan, at low CPU priority (<c>nice</c>) so the console stays responsive, and reports progress from
/// ffmpeg's <c>-progress</c> output. HLS renditions come from one ffmpeg process with keyframes forced at the same
/// instants in every rendition (every 2 s, no scene-cut keyframes), so 4-second segments line up and a player can
/// switch between them; one master playlist lists the renditions. Paths come from the storage and the runner, never
/// from users, and are passed as separate arguments, never through a shell.
/// </summary>
public sealed class FfmpegTranscoder(MediaProbe probe)
{
    public const int SegmentSeconds = 4;
    public const int KeyframeSeconds = 2;
    public const string MasterPlaylist = "master.m3u8";
    private const string Nice = "/usr/bin/nice";

    /// <summary>Writes the plan's output into <paramref name="outputDirectory"/>; <paramref name="progress"/> gets 0–1.</summary>
    public async Task RunAsync(string sourcePath, MediaProbeResult source, TranscodePlan plan, string outputDirectory,
        Action<double> progress, CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);
        var start = StartInfo(Arguments(sourcePath, source, plan, outputDirectory));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new TranscodeFailedException("ffmpeg is not installed on the server.");
        }
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var duration = source.DurationSeconds ?? 0;
            while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                if (duration > 0 && line.StartsWith("out_time_us=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
                {
                    progress(Math.Clamp(micros / 1_000_000.0 / duration, 0, 1));
                }
            }
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            throw;
        }
        // On Linux a process ended by a signal reports 128 + the signal: ffmpeg did not fail on the media, something stopped it.
        if (process.ExitCode > 128 && !OperatingSystem.IsWindows())
        {
            throw new TranscodeFailedException(string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg was killed (signal {process.ExitCode - 128}) before it finished, by the server's operating system (out of memory?) or an operator. Nothing was kept; retry the job."));
        }
        if (process.ExitCode != 0)
        {
            var detail = (await errors).Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            throw new TranscodeFailedException(process.ExitCode < 0 || detail is null
                ? $"ffmpeg stopped unexpectedly (exit code {process.ExitCode})."
                : $"ffmpeg could not transcode the media: {(detail.Length <= 300 ? detail : detail[..300])}");
        }
    }

    /// <summary>
    /// The process a run starts: ffmpeg with these arguments under <c>nice</c> when there is one (public for the benchmark
    /// that runs the very same command directly), output read from its redirected stdout and stderr.
    /// </summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var start = File.Exists(Nice) ? new ProcessStartInfo(Nice) : new ProcessStartInfo("ffmpeg");
        if (File.Exists(Nice))
        {
            // nice replaces itself with ffmpeg: same process, so killing it kills ffmpeg, and every thread ffmpeg starts is niced.
            foreach (var argument in (string[])["-n", "10", "ffmpeg"])
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    /// <summary>ffmpeg's arguments for the plan (public for the tests that check the command, not only its output).</summary>
    public static IReadOnlyList<string> Arguments(string sourcePath, MediaProbeResult source, TranscodePlan plan, string outputDirectory)
    {
        List<string> a = ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", sourcePath];
        var renditions = plan.Renditions;
        var audio = source.AudioCodec is not null;
        if (plan.Format == TranscodeFormat.Audio)
        {
            var r = renditions[0];
            a.AddRange(["-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", Kbps(r.AudioBitrateKbps), Path.Combine(outputDirectory, "audio.m4a")]);
        }
        else
        {
            a.AddRange(["-filter_complex", Filters(source, renditions)]);
            if (plan.Format == TranscodeFormat.Hls)
            {
                for (var i = 0; i < renditions.Count; i++)
                {
                    a.AddRange(["-map", $"[v{i}]"]);
                    if (audio)
                    {
                        a.AddRange(["-map", "0:a:0"]);
                    }
                }
                a.AddRange(VideoCodec());
                for (var i = 0; i < renditions.Count; i++)
                {
                    a.AddRange(VideoRate(renditions[i], $":{i}"));
                    if (audio)
                    {
                        a.AddRange([$"-b:a:{i}", Kbps(renditions[i].AudioBitrateKbps)]);
                    }
                }
                if (audio)
                {
                    a.AddRange(["-c:a", "aac", "-ac", "2"]);
                }
                foreach (var r in renditions)
                {
                    Directory.CreateDirectory(Path.Combine(outputDirectory, r.NameFor(plan.Format)));
                }
                a.AddRange([
                    "-f", "hls", "-hls_time", SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_playlist_type", "vod",
                    "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
                    "-hls_segment_filename", Path.Combine(outputDirectory, "%v", "seg_%05d.ts"),
                    "-master_pl_name", MasterPlaylist,
                    "-var_stream_map", string.Join(" ", renditions.Select((r, i) => audio
                        ? $"v:{i},a:{i},name:{r.NameFor(plan.Format)}"
                        : $"v:{i},name:{r.NameFor(plan.Format)}")),
                    Path.Combine(outputDirectory, "%v", "index.m3u8"),
                ]);
            }
            else
            {
                for (var i = 0; i < renditions.Count; i++)
                {
                    a.AddRange(["-map", $"[v{i}]"]);
                    if (audio)
                    {
                        a.AddRange(["-map", "0:a:0", "-c:a", "aac", "-ac", "2", "-b:a", Kbps(renditions[i].AudioBitrateKbps)]);
                    }
                    a.AddRange(VideoCodec());
                    a.AddRange(VideoRate(renditions[i], ""));
                    a.AddRange(["-movflags", "+faststart", Path.Combine(outputDirectory, $"{renditions[i].NameFor(plan.Format)}.mp4")]);
                }
            }
        }
        a.AddRange(["-progress", "pipe:1", "-nostats"]);
        return a;
    }

    /// <summary>
    /// Describes what a finished run wrote: one row per playable output (and the HLS master playlist), with the
    /// resolution, bitrate, size and duration read back from the files themselves.
    /// </summary>
    public async Task<IReadOnlyList<MediaDerivative>> DescribeAsync(TranscodePlan plan, string outputDirectory, CancellationToken ct)
    {
        var rows = new List<MediaDerivative>();
        foreach (var rendition in plan.Renditions)
        {
            var name = rendition.NameFor(plan.Format);
            switch (plan.Format)
            {
                case TranscodeFormat.Hls:
                    var folder = Path.Combine(outputDirectory, name);
                    var playlist = Path.Combine(folder, "index.m3u8");
                    var segments = File.Exists(playlist) ? Segments(await File.ReadAllLinesAsync(playlist, ct)) : [];
                    if (segments.Count == 0 || segments.Any(s => !File.Exists(Path.Combine(folder, s.File))))
                    {
                        throw new TranscodeFailedException($"ffmpeg finished without a complete {name} rendition.");
                    }
                    var first = await probe.ProbeAsync(Path.Combine(folder, segments[0].File), ct);
                    var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
                    var seconds = segments.Sum(s => s.Seconds);
                    rows.Add(Row(name, DerivativeKind.HlsVariant, $"{name}/index.m3u8", first.Width, first.Height, bytes, seconds,
                        seconds > 0 ? (long)(bytes * 8 / seconds) : null));
                    break;
                default:
                    var file = plan.Format == TranscodeFormat.Audio ? "audio.m4a" : $"{name}.mp4";
                    var path = Path.Combine(outputDirectory, file);
                    if (!File.Exists(path))
                    {
                        throw new TranscodeFailedException($"ffmpeg finished without writing {file}.");
                    }
                    var probed = await probe.ProbeAsync(path, ct);
                    rows.Add(Row(name, plan.Format == TranscodeFormat.Audio ? DerivativeKind.Audio : DerivativeKind.Mp4, file,
                        probed.Width, probed.Height, new FileInfo(path).Length, probed.DurationSeconds, probed.BitrateBps));
                    break;
            }
        }
        if (plan.Format == TranscodeFormat.Hls)
        {
            var master = Path.Combine(outputDirectory, MasterPlaylist);
            if (!File.Exists(master))
            {
                throw new TranscodeFailedException("ffmpeg finished without a master playlist.");
            }
            var top = rows.MaxBy(r => r.Height)!;
            rows.Insert(0, Row("master", DerivativeKind.MasterPlaylist, MasterPlaylist, top.Width, top.Height,
                new FileInfo(master).Length, top.DurationSeconds, null));
        }
        return rows;
    }

    /// <summary>The segments of a media playlist with their durations (#EXTINF), in order.</summary>
    public static IReadOnlyList<(string File, double Seconds)> Segments(IEnumerable<string> playlist)
    {
        var segments = new List<(string, double)>();
        double? pending = null;
        foreach (var raw in playlist)
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..].Split(',')[0];
                pending = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (line.Length > 0 && !line.StartsWith('#') && pending is { } seconds)
            {
                segments.Add((line, seconds));
                pending = null;
            }
        }
        return segments;
    }

    private static MediaDerivative Row(string rendition, DerivativeKind kind, string path, int? width, int? height, long bytes,
        double? seconds, long? bitrate) => new()
    {
        Rendition = rendition, Kind = kind, Path = path, Width = width, Height = height, SizeBytes = bytes, DurationSeconds = seconds,
        BitrateBps = bitrate,
    };

    /// <summary>One decode, split once per rendition, each scaled to its height (width even, aspect kept) and capped in frame rate.</summary>
    private static string Filters(MediaProbeResult source, IReadOnlyList<TranscodeRendition> renditions)
    {
        var parts = new List<string> { $"[0:v]split={renditions.Count}{string.Concat(renditions.Select((_, i) => $"[s{i}]"))}" };
        for (var i = 0; i < renditions.Count; i++)
        {
            var r = renditions[i];
            var fps = source.FrameRate is { } rate && rate > r.MaxFrameRate + 0.01
                ? string.Create(CultureInfo.InvariantCulture, $",fps={r.MaxFrameRate}")
                : "";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"[s{i}]scale=-2:{r.Height}{fps},format=yuv420p[v{i}]"));
        }
        return string.Join(";", parts);
    }

    private static string[] VideoCodec() =>
    [
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high",
        // Keyframes at the same instants in every rendition, none elsewhere: segments align across the ladder.
        "-force_key_frames", $"expr:gte(t,n_forced*{KeyframeSeconds})", "-sc_threshold", "0",
    ];

    private static string[] VideoRate(TranscodeRendition r, string stream) =>
    [
        $"-b:v{stream}", Kbps(r.VideoBitrateKbps),
        $"-maxrate:v{stream}", Kbps(r.VideoBitrateKbps * 107 / 100),
        $"-bufsize:v{stream}", Kbps(r.VideoBitrateKbps * 3 / 2),
    ];

    private static string Kbps(int kbps) => string.Create(CultureInfo.InvariantCulture, $"{kbps}k");
}
