using System.Diagnostics;

namespace VodConsole.Tests;

/// <summary>Small real media files made with ffmpeg (./test.sh installs it); the browser tests link this file too.</summary>
public static class TestMedia
{
    /// <summary>A 2-second 320x240 H.264 test video.</summary>
    public static Task<string> VideoAsync(string folder, string fileName = "e2e clip.mp4") =>
        GenerateAsync(folder, fileName, "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p");

    /// <summary>A one-colour PNG image.</summary>
    public static Task<string> ImageAsync(string folder, string fileName = "cover.png", string colour = "red") =>
        GenerateAsync(folder, fileName, "-f", "lavfi", "-i", $"color=c={colour}:size=64x48", "-frames:v", "1");

    /// <summary>Runs ffmpeg with the given input arguments (lavfi sources) to make a file in the folder.</summary>
    public static async Task<string> GenerateAsync(string folder, string fileName, params string[] arguments)
    {
        var path = Path.Combine(folder, fileName);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-v", "error", "-y", .. arguments, path])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {errors}");
        return path;
    }
}
