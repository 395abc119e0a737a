using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VodConsole.Core.Media;

/// <summary>
/// Media files on local disk: one folder per application under <c>{root}</c>. A write goes to a temporary name and is
/// renamed into place only when complete, so a reader never sees half a file and a crash leaves only a temp file, which
/// <see cref="RemoveAbandonedWrites"/> clears at the next start.
/// </summary>
public sealed partial class LocalMediaStorage(string root) : IMediaStorage
{
    /// <summary>Absolute, so the paths being written compare equal to the paths a sweep lists.</summary>
    private readonly string root = Path.GetFullPath(root);

    public const string TempSuffix = ".partial";

    /// <summary>The temporary files this process is writing now: the only ones that are not abandoned.</summary>
    private readonly ConcurrentDictionary<string, byte> writing = new();

    public async Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default)
    {
        var key = KeyOf(applicationId, Guid.NewGuid().ToString("N"));
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
        var moved = KeyIn(key, applicationId);
        var target = PathOf(moved);
        if (File.Exists(path)) // like Delete, a file that is already gone is not an error
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(path, target); // a rename: atomic, so the file is in exactly one of the two folders
        }
        return moved;
    }

    public string KeyIn(string key, long applicationId)
    {
        PathOf(key);
        return KeyOf(applicationId, key[(key.IndexOf('/') + 1)..]);
    }

    public void Delete(string key)
    {
        var path = PathOf(key);
        if (File.Exists(path)) // File.Delete tolerates a missing file, not a missing folder
        {
            File.Delete(path);
        }
    }

    public IEnumerable<string> ListKeys(long applicationId)
    {
        var folder = Path.Combine(root, applicationId.ToString(CultureInfo.InvariantCulture));
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Select(f => KeyOf(applicationId, Path.GetFileName(f)))
                .Where(k => KeyPattern().IsMatch(k))
            : [];
    }

    public int RemoveAbandonedWrites()
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }
        var removed = 0;
        foreach (var temporary in Directory.EnumerateFiles(root, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            if (!writing.ContainsKey(temporary))
            {
                File.Delete(temporary);
                removed++;
            }
        }
        return removed;
    }

    private static string KeyOf(long applicationId, string name) => $"{applicationId.ToString(CultureInfo.InvariantCulture)}/{name}";

    /// <summary>Only keys this storage made resolve to a path; anything else (such as "../x") is refused.</summary>
    private string PathOf(string key) =>
        KeyPattern().IsMatch(key)
            ? Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar))
            : throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));

    [GeneratedRegex("^[0-9]{1,19}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
