namespace VodConsole.Core.Media;

/// <summary>Tags are free words an application gives its media; stored trimmed, lower-cased and comma-separated.</summary>
public static class MediaTags
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 30;
    public const char Separator = ',';

    /// <summary>The distinct tags of a comma-separated list, trimmed and lower-cased, in the order given.</summary>
    public static IReadOnlyList<string> Normalize(string tags) =>
        tags.Split(Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => tag.ToLowerInvariant())
            .Distinct()
            .ToList();

    public static IReadOnlyList<string> Parse(string stored) => stored.Length == 0 ? [] : stored.Split(Separator);

    public static string Join(IEnumerable<string> tags) => string.Join(Separator, tags);
}
