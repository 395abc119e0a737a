namespace VodConsole.Core.Media;

/// <summary>
/// Whether the media storage works now: a small file stored, read back and removed, where no application's files are
/// (no application has ID 0). The readiness check asks it for every probe, and the server at start-up, so a storage it
/// cannot reach (a wrong S3 address, bucket or key) stops it with one clear line instead of a stack trace.
/// </summary>
public static class MediaStorageProbe
{
    private const long ProbeFolder = 0;

    /// <summary>Null when the storage works; otherwise what went wrong, in words an operator can act on.</summary>
    public static async Task<string?> ProblemAsync(IMediaStorage storage, CancellationToken ct = default)
    {
        byte[] probe = [0x56, 0x4f, 0x44];
        string key;
        try
        {
            using var content = new MemoryStream(probe);
            key = await storage.SaveAsync(ProbeFolder, content, ct);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return $"storing a probe file failed: {failure.Message}";
        }
        string? problem;
        try
        {
            await using var read = storage.OpenRead(key);
            var back = new byte[probe.Length];
            problem = read is not null && await read.ReadAtLeastAsync(back, back.Length, throwOnEndOfStream: false, ct) == back.Length && back.SequenceEqual(probe)
                ? null
                : "the storage did not return the probe file it stored";
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            problem = $"reading the probe file back failed: {failure.Message}";
        }
        try
        {
            storage.Delete(key);
        }
        catch (Exception failure)
        {
            problem ??= $"removing the probe file failed: {failure.Message}";
        }
        return problem;
    }
}
