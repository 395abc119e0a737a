namespace VodConsole.Core.Media;

/// <summary>
/// Where media files live. Keys are made by the storage, never from user input, so a file name from an upload can never
/// become a path. Local disk (<see cref="LocalMediaStorage"/>, the default) or an S3-compatible bucket
/// (<see cref="S3MediaStorage"/>); both pass the same contract tests.
/// </summary>
public interface IMediaStorage
{
    /// <summary>Writes the stream completely under a new key of the application; a failed or cancelled write leaves nothing.</summary>
    Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default);

    /// <summary>
    /// Stores a finished folder of files (a transcoding output: playlists and segments) under a new key of the application,
    /// all of it or nothing: readers never see part of a tree. <see cref="MoveTo"/> and <see cref="Delete"/> take the key
    /// like a file's.
    /// </summary>
    Task<string> SaveTreeAsync(long applicationId, string sourceDirectory, CancellationToken ct = default);

    /// <summary>The file for reading (seekable, for range requests), or null when there is none.</summary>
    Stream? OpenRead(string key);

    /// <summary>A file inside a stored tree ("720p/index.m3u8"), or null when there is none; a path leaving the tree is refused.</summary>
    Stream? OpenRead(string treeKey, string relativePath);

    /// <summary>
    /// The file on local disk for tools that need a path (ffprobe, ffmpeg), or null when there is none. Dispose it when the
    /// tool is done: object storage downloads a temporary copy, removed then.
    /// </summary>
    Task<LocalCopy?> LocalCopyAsync(string key, CancellationToken ct = default);

    /// <summary>Gives the file (or tree) to another application (its folder) and returns its new key, <see cref="KeyIn"/>.</summary>
    string MoveTo(string key, long applicationId);

    /// <summary>The key <see cref="MoveTo"/> gives the file in that application (nothing is moved).</summary>
    string KeyIn(string key, long applicationId);

    /// <summary>Removes the file (or tree); removing a missing one is not an error.</summary>
    void Delete(string key);

    /// <summary>The keys of the application's complete files (unfinished writes are not files yet).</summary>
    IEnumerable<string> ListKeys(long applicationId);

    /// <summary>
    /// Removes what writes interrupted by a crash left behind and returns how many it removed. Without
    /// <paramref name="untouchedFor"/> (this instance is the only one alive): every unfinished write this process is not
    /// doing now. With it (other instances may be writing into the same storage): only unfinished writes nothing has
    /// written to for that long. Object storage, shared by instances that need not know of each other, never removes a
    /// write younger than <c>Storage:S3:AbandonedAfter</c>.
    /// </summary>
    int RemoveAbandonedWrites(TimeSpan? untouchedFor = null);
}
