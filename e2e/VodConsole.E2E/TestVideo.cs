using System.Diagnostics;

namespace VodConsole.E2E;

public static class TestVideo
{
    /// <summary>A 2-second 320x240 test video made with ffmpeg (./test.sh installs it).</summary>
    public static async Task<string> GenerateAsync(string folder, string fileName)
    {
        var path = Path.Combine(folder, fileName);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", path])
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
