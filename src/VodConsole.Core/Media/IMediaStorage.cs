namespace VodConsole.Core.Media;

/// <summary>
/// Where media files live. Keys are made by the storage, never from user input, so a file name from an upload can never
/// become a path. Local disk now; an S3-compatible store can implement the same contract.
/// </summary>
public interface IMediaStorage
{
    /// <summary>Writes the stream completely under a new key of the application; a failed or cancelled write leaves nothing.</summary>
    Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default);

    /// <summary>The file for reading (seekable, for range requests), or null when there is none.</summary>
    Stream? OpenRead(string key);

    /// <summary>The file on local disk for tools that need a path (ffprobe, ffmpeg), or null when there is none.</summary>
    string? LocalPathOf(string key);

    /// <summary>Gives the file to another application (its folder) and returns its new key, <see cref="KeyIn"/>.</summary>
    string MoveTo(string key, long applicationId);

    /// <summary>The key <see cref="MoveTo"/> gives the file in that application (nothing is moved).</summary>
    string KeyIn(string key, long applicationId);

    /// <summary>Removes the file; removing a missing file is not an error.</summary>
    void Delete(string key);

    /// <summary>The keys of the application's complete files (unfinished writes are not files yet).</summary>
    IEnumerable<string> ListKeys(long applicationId);

    /// <summary>
    /// Removes what writes interrupted by a crash left behind: every unfinished write this process is not doing now.
    /// Returns how many it removed. One process per data directory, as today: another server writing into the same
    /// folder would lose its unfinished writes.
    /// </summary>
    int RemoveAbandonedWrites();
}
