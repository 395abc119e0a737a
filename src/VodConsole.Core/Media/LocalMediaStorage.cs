using System.Collections.Concurrent;
using System.Globalization;

namespace VodConsole.Core.Media;

/// <summary>
/// Media files on local disk: one folder per application under <c>{root}</c>. A write goes to a temporary name and is
/// renamed into place only when complete, so a reader never sees half a file and a crash leaves only a temp file, which
/// <see cref="RemoveAbandonedWrites"/> clears (at the next start, or, while other instances run, once it is old).
/// </summary>
public sealed class LocalMediaStorage(string root) : IMediaStorage
{
    /// <summary>Absolute, so the paths being written compare equal to the paths a sweep lists.</summary>
    private readonly string root = Path.GetFullPath(root);

    public const string TempSuffix = ".partial";

    /// <summary>The temporary files this process is writing now: the only ones that are not abandoned.</summary>
    private readonly ConcurrentDictionary<string, byte> writing = new();

    public async Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default)
    {
        var key = MediaStorageKeys.New(applicationId);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + TempSuffix;
        writing[temporary] = 0; // before the file exists, so a sweep can never see it unowned
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct); // streamed in 80 KB pieces: memory stays flat whatever the size
            }
            File.Move(temporary, path);
            return key;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            writing.TryRemove(temporary, out _);
        }
    }

    public async Task<string> SaveTreeAsync(long applicationId, string sourceDirectory, CancellationToken ct = default)
    {
        var key = MediaStorageKeys.New(applicationId);
        var path = PathOf(key);
        var temporary = path + TempSuffix;
        writing[temporary] = 0; // before the folder exists, so a sweep can never see it unowned
        try
        {
            // Copied, not moved: the source may be on another file system (the temporary folder). The rename at the end
            // makes the whole tree appear at once.
            foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
            {
                // Only names a reader can ask for (OpenRead refuses the rest): a tree with any other is refused whole.
                var relative = MediaStorageKeys.CheckedTreePath(Path.GetRelativePath(sourceDirectory, file).Replace(Path.DirectorySeparatorChar, '/'));
                var target = Path.Combine(temporary, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var from = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                await using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await from.CopyToAsync(to, ct);
            }
            Directory.CreateDirectory(temporary); // an empty tree is still a tree
            Directory.Move(temporary, path);
            return key;
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
            throw;
        }
        finally
        {
            writing.TryRemove(temporary, out _);
        }
    }

    public Stream? OpenRead(string treeKey, string relativePath)
    {
        var tree = PathOf(treeKey);
        var path = Path.Combine(tree, MediaStorageKeys.CheckedTreePath(relativePath).Replace('/', Path.DirectorySeparatorChar));
        return OpenForReading(path);
    }

    public Stream? OpenRead(string key) => OpenForReading(PathOf(key));

    /// <summary>
    /// Opened without a buffer of its own: every reader copies into a buffer of its own (a file result's 64 KB), so a
    /// FileStream buffer would only copy each byte once more, and cost an 80 KB allocation per range request. Opened
    /// rather than checked first, which saves the playback domain a system call per request.
    /// </summary>
    private static FileStream? OpenForReading(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException
            || (ex is UnauthorizedAccessException && Directory.Exists(path))) // a tree's key is not a file
        {
            return null;
        }
    }

    /// <summary>The stored file's own path, or null when there is none.</summary>
    public string? LocalPathOf(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? path : null;
    }

    public Task<LocalCopy?> LocalCopyAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(LocalPathOf(key) is { } path ? new LocalCopy(path) : null);

    public string MoveTo(string key, long applicationId)
    {
        var path = PathOf(key); // checks the key before anything is derived from it
        var moved = KeyIn(key, applicationId);
        var target = PathOf(moved);
        if (File.Exists(path)) // like Delete, a file that is already gone is not an error
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(path, target); // a rename: atomic, so the file is in exactly one of the two folders
        }
        else if (Directory.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(path, target);
        }
        return moved;
    }

    public string KeyIn(string key, long applicationId) => MediaStorageKeys.In(key, applicationId);

    public void Delete(string key)
    {
        var path = PathOf(key);
        if (File.Exists(path)) // File.Delete tolerates a missing file, not a missing folder
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public IEnumerable<string> ListKeys(long applicationId)
    {
        var folder = Path.Combine(root, applicationId.ToString(CultureInfo.InvariantCulture));
        return Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder) // files, and trees (folders) of derivative files
                .Select(f => MediaStorageKeys.Of(applicationId, Path.GetFileName(f)))
                .Where(MediaStorageKeys.IsKey)
            : [];
    }

    public int RemoveAbandonedWrites(TimeSpan? untouchedFor = null)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }
        var before = DateTime.UtcNow - untouchedFor;
        var removed = 0;
        foreach (var temporary in Directory.EnumerateFiles(root, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            if (!writing.ContainsKey(temporary) && (before is null || File.GetLastWriteTimeUtc(temporary) < before))
            {
                File.Delete(temporary);
                removed++;
            }
        }
        // Trees are written into a temporary folder beside their application's files, renamed when complete.
        foreach (var temporary in Directory.EnumerateDirectories(root, "*" + TempSuffix, SearchOption.AllDirectories).ToList())
        {
            if (!writing.ContainsKey(temporary) && Directory.Exists(temporary) && (before is null || LastWriteOfTree(temporary) < before))
            {
                Directory.Delete(temporary, recursive: true);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>When anything in the folder was last written: a tree being copied in is touched by every file it gets.</summary>
    private static DateTime LastWriteOfTree(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(File.GetLastWriteTimeUtc).Append(Directory.GetLastWriteTimeUtc(folder)).Max();

    /// <summary>Only keys this storage made resolve to a path; anything else (such as "../x") is refused.</summary>
    private string PathOf(string key) => Path.Combine(root, MediaStorageKeys.Checked(key).Replace('/', Path.DirectorySeparatorChar));
}
