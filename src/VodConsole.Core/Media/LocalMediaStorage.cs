using System.Globalization;
using System.Text.RegularExpressions;

namespace VodConsole.Core.Media;

/// <summary>
/// Media files on local disk: one folder per application under <c>{root}</c>. A write goes to a temporary name and is
/// renamed into place only when complete, so a reader never sees half a file and a crash leaves only a temp file.
/// </summary>
public sealed partial class LocalMediaStorage(string root) : IMediaStorage
{
    private const string TempSuffix = ".partial";

    public async Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default)
    {
        var key = KeyOf(applicationId, Guid.NewGuid().ToString("N"));
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + TempSuffix;
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
    }

    public async Task<string> SaveTreeAsync(long applicationId, string sourceDirectory, CancellationToken ct = default)
    {
        var key = KeyOf(applicationId, Guid.NewGuid().ToString("N"));
        var path = PathOf(key);
        var temporary = path + TempSuffix;
        try
        {
            // Copied, not moved: the source may be on another file system (the temporary folder). The rename at the end
            // makes the whole tree appear at once.
            foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(temporary, Path.GetRelativePath(sourceDirectory, file));
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
    }

    public Stream? OpenRead(string treeKey, string relativePath)
    {
        var tree = PathOf(treeKey);
        if (!TreePathPattern().IsMatch(relativePath))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside a media tree.", nameof(relativePath));
        }
        var path = Path.Combine(tree, relativePath.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public Stream? OpenRead(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public string? LocalPathOf(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? path : null;
    }

    public string MoveTo(string key, long applicationId)
    {
        var path = PathOf(key); // checks the key before anything is derived from it
        var moved = KeyOf(applicationId, key[(key.IndexOf('/') + 1)..]);
        var target = PathOf(moved);
        if (File.Exists(path)) // like Delete, a file that is already gone is not an error
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(path, target);
        }
        else if (Directory.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(path, target);
        }
        return moved;
    }

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

    private static string KeyOf(long applicationId, string name) => $"{applicationId.ToString(CultureInfo.InvariantCulture)}/{name}";

    /// <summary>Only keys this storage made resolve to a path; anything else (such as "../x") is refused.</summary>
    private string PathOf(string key) =>
        KeyPattern().IsMatch(key)
            ? Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar))
            : throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));

    [GeneratedRegex("^[0-9]{1,19}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();

    /// <summary>Segments of letters, digits, '_' and '-' with at most one extension: never "..", never absolute.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?)*$")]
    private static partial Regex TreePathPattern();
}
