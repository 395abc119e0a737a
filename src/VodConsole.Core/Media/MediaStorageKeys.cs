using System.Globalization;
using System.Text.RegularExpressions;

namespace VodConsole.Core.Media;

/// <summary>
/// The keys every <see cref="IMediaStorage"/> makes and accepts: <c>{applicationId}/{32 hex digits}</c>, and paths inside a
/// stored tree. Shared so that local disk and object storage refuse exactly the same keys and paths.
/// </summary>
internal static partial class MediaStorageKeys
{
    public static string New(long applicationId) => Of(applicationId, Guid.NewGuid().ToString("N"));

    public static string Of(long applicationId, string name) => $"{applicationId.ToString(CultureInfo.InvariantCulture)}/{name}";

    /// <summary>The key itself, if this storage could have made it; anything else (such as "../x") is refused.</summary>
    public static string Checked(string key) =>
        KeyPattern().IsMatch(key) ? key : throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));

    public static bool IsKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>The key the same file has in another application (its folder).</summary>
    public static string In(string key, long applicationId) => Of(applicationId, Checked(key)[(key.IndexOf('/') + 1)..]);

    /// <summary>A path inside a tree, if it stays inside it; anything else is refused.</summary>
    public static string CheckedTreePath(string relativePath) =>
        TreePathPattern().IsMatch(relativePath)
            ? relativePath
            : throw new ArgumentException($"'{relativePath}' is not a path inside a media tree.", nameof(relativePath));

    [GeneratedRegex("^[0-9]{1,19}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();

    /// <summary>Segments of letters, digits, '_' and '-' with at most one extension: never "..", never absolute.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)?)*$")]
    private static partial Regex TreePathPattern();
}
