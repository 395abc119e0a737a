using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VodConsole.Core.Media;

/// <summary>What ffprobe learned about a file.</summary>
public sealed record MediaProbeResult(
    double? DurationSeconds, int? Width, int? Height, string? VideoCodec = null, string? AudioCodec = null, long? BitrateBps = null,
    double? FrameRate = null);

/// <summary>ffprobe or ffmpeg could not read the file; the message says why, for the media's failure reason.</summary>
public sealed class MediaProbeException(string message) : Exception(message);

/// <summary>
/// Runs ffprobe and ffmpeg (from PATH) with a timeout. Paths come from <see cref="IMediaStorage"/>, never from user
/// input, and are passed as separate arguments, never through a shell.
/// </summary>
public sealed class MediaProbe(TimeSpan timeout)
{
    public MediaProbe() : this(TimeSpan.FromMinutes(2)) { }

    public async Task<MediaProbeResult> ProbeAsync(string path, CancellationToken ct = default)
    {
        var output = await RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], ct);
        try
        {
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            var video = StreamOf(root, "video");
            var audio = StreamOf(root, "audio");
            double? duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
                && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : null;
            long? bitrate = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("bit_rate", out var b)
                && long.TryParse(b.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bps)
                ? bps
                : null;
            return new MediaProbeResult(duration, IntOf(video, "width"), IntOf(video, "height"),
                CodecOf(video), CodecOf(audio), bitrate, FrameRateOf(video));
        }
        catch (JsonException)
        {
            throw new MediaProbeException("ffprobe returned output that is not JSON.");
        }
    }

    /// <summary>Writes a JPEG cover 320 pixels wide from the frame at <paramref name="atSeconds"/> (null: the first).</summary>
    public async Task MakeCoverAsync(string path, string coverPath, double? atSeconds, CancellationToken ct = default)
    {
        List<string> arguments = ["-v", "error", "-y"];
        if (atSeconds is { } at)
        {
            arguments.AddRange(["-ss", at.ToString(CultureInfo.InvariantCulture)]);
        }
        arguments.AddRange(["-i", path, "-frames:v", "1", "-vf", "scale=320:-1", "-f", "image2", coverPath]);
        await RunAsync("ffmpeg", arguments, ct);
        if (!File.Exists(coverPath) || new FileInfo(coverPath).Length == 0)
        {
            throw new MediaProbeException("ffmpeg produced no cover image.");
        }
    }

    private static JsonElement StreamOf(JsonElement root, string type) =>
        root.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("codec_type", out var t) && t.GetString() == type)
            : default;

    /// <summary>The codec's short name (h264, aac …), clipped to what the column holds.</summary>
    private static string? CodecOf(JsonElement stream) =>
        stream.ValueKind == JsonValueKind.Object && stream.TryGetProperty("codec_name", out var name) && name.GetString() is { Length: > 0 } codec
            ? codec[..Math.Min(codec.Length, MediaItem.CodecMaxLength)]
            : null;

    /// <summary>The average frame rate ("30000/1001"), when the stream has one.</summary>
    private static double? FrameRateOf(JsonElement stream)
    {
        if (stream.ValueKind != JsonValueKind.Object || !stream.TryGetProperty("avg_frame_rate", out var rate) || rate.GetString() is not { } text)
        {
            return null;
        }
        var parts = text.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var frames)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && frames > 0 && seconds > 0
            ? frames / seconds
            : null;
    }

    private static int? IntOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number)
            ? number
            : null;

    private async Task<string> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MediaProbeException($"{tool} is not installed on the server.");
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timer.Token);
        var stderr = process.StandardError.ReadToEndAsync(timer.Token);
        try
        {
            await process.WaitForExitAsync(timer.Token);
            var output = await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
            {
                var detail = errors.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
                throw new MediaProbeException($"{tool} could not read the file{(detail is null ? "." : $": {Shorten(detail)}")}");
            }
            return output;
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            ct.ThrowIfCancellationRequested();
            throw new MediaProbeException($"{tool} did not finish within {timeout.TotalSeconds:0} seconds.");
        }
    }

    /// <summary>ffmpeg's messages start with the input path; keep only what helps an operator.</summary>
    private static string Shorten(string detail)
    {
        var colon = detail.LastIndexOf(": ", StringComparison.Ordinal);
        var message = colon >= 0 ? detail[(colon + 2)..] : detail;
        return message.Length <= 200 ? message : message[..200];
    }
}
