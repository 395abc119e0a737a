namespace VodConsole.Core.Media;

/// <summary>
/// Makes covers the one way the console shows them: a JPEG 320 pixels wide, drawn by ffmpeg from a frame of a video or
/// from an image, and stored through <see cref="IMediaStorage"/> (so the cover endpoint always serves a small JPEG).
/// </summary>
public sealed class MediaCovers(IMediaStorage storage, MediaProbe probe)
{
    /// <summary>
    /// Stores a cover made from <paramref name="sourcePath"/> at <paramref name="atSeconds"/> (null: the first frame) and
    /// returns its key; throws <see cref="MediaProbeException"/> when ffmpeg cannot make one.
    /// </summary>
    public async Task<string> StoreFrameAsync(long applicationId, string sourcePath, double? atSeconds, CancellationToken ct = default)
    {
        var coverPath = Path.Combine(Path.GetTempPath(), $"vodconsole-cover-{Guid.NewGuid():N}.jpg");
        try
        {
            await probe.MakeCoverAsync(sourcePath, coverPath, atSeconds, ct);
            await using var cover = File.OpenRead(coverPath);
            return await storage.SaveAsync(applicationId, cover, ct);
        }
        finally
        {
            File.Delete(coverPath);
        }
    }
}
