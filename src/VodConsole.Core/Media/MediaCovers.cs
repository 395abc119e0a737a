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

    /// <summary>
    /// Stores <paramref name="frames"/> frames of a video at equal intervals (the middle of each of as many equal parts)
    /// and returns their keys in order; if one cannot be made, those already stored are deleted and the failure thrown.
    /// </summary>
    public async Task<List<string>> StoreStoryboardAsync(
        long applicationId, string sourcePath, double durationSeconds, int frames, CancellationToken ct = default)
    {
        var keys = new List<string>(frames);
        try
        {
            for (var i = 0; i < frames; i++)
            {
                keys.Add(await StoreFrameAsync(applicationId, sourcePath, durationSeconds * (i + 0.5) / frames, ct));
            }
            return keys;
        }
        catch
        {
            keys.ForEach(storage.Delete);
            throw;
        }
    }
}
