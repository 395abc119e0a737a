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
        var key = $"{applicationId.ToString(CultureInfo.InvariantCulture)}/{Guid.NewGuid():N}";
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

    public void Delete(string key) => File.Delete(PathOf(key));

    /// <summary>Only keys this storage made resolve to a path; anything else (such as "../x") is refused.</summary>
    private string PathOf(string key) =>
        KeyPattern().IsMatch(key)
            ? Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar))
            : throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));

    [GeneratedRegex("^[0-9]{1,19}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
