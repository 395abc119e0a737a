using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VodConsole.Core.Setup.Demo;

/// <summary>
/// Makes the demo's media files: a few two-second test-pattern clips with a tone, made by ffmpeg at seed time (all at
/// once, each a few dozen KB). Without ffmpeg, or when it fails, the one-second clip built into the assembly stands in
/// for all of them, so a first start works with the .NET SDK alone.
/// </summary>
public class DemoClips(ILogger<DemoClips> logger)
{
    private const string BuiltInResource = "VodConsole.Core.Setup.demo-clip.mp4";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // lavfi test sources: each clip looks different, so the covers tell the items apart.
    private static readonly string[] Patterns =
    [
        "testsrc2=size=320x180:rate=12",
        "smptebars=size=320x180:rate=12",
        "rgbtestsrc=size=320x180:rate=12",
    ];

    /// <summary>The command that makes the clips (found on PATH); tests name one that does not exist.</summary>
    protected virtual string Ffmpeg => "ffmpeg";

    /// <summary>MP4 files, at least one; the caller cycles through them.</summary>
    public async Task<IReadOnlyList<byte[]>> MakeAsync(CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-demo-");
        try
        {
            var made = await Task.WhenAll(Patterns.Select((pattern, i) =>
                MakeOneAsync(pattern, 220 + 110 * i, Path.Combine(folder.FullName, $"{i}.mp4"), ct)));
            if (made.All(clip => clip is not null))
            {
                return made!;
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        logger.LogInformation("ffmpeg could not make the demo clips; the demo media use the clip built into the console.");
        return [BuiltIn()];
    }

    /// <summary>The built-in clip: one second of colour bars and a tone, H.264 and AAC in MP4.</summary>
    public static byte[] BuiltIn()
    {
        using var resource = typeof(DemoClips).Assembly.GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"The resource {BuiltInResource} is missing from the assembly.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<byte[]?> MakeOneAsync(string pattern, int toneHz, string path, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])
        [
            "-v", "error", "-y", "-f", "lavfi", "-i", $"{pattern}:duration=2", "-f", "lavfi", "-i", $"sine=frequency={toneHz}:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "24k",
            "-shortest", "-movflags", "+faststart", path,
        ])
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(Timeout);
            var errors = process.StandardError.ReadToEndAsync(timer.Token);
            try
            {
                await process.WaitForExitAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                logger.LogWarning("ffmpeg took longer than {Timeout} to make a demo clip.", Timeout);
                return null;
            }
            if (process.ExitCode != 0 || !File.Exists(path))
            {
                logger.LogWarning("ffmpeg could not make a demo clip: {Error}", (await errors).Trim());
                return null;
            }
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
