using System.Text.RegularExpressions;
using VodConsole.Core.Common;

namespace VodConsole.Core.Media;

/// <summary>
/// Tags are free words an application gives its media; stored trimmed, lower-cased, each once, and comma-separated (so a
/// tag can never contain a comma).
/// </summary>
public static partial class MediaTags
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 30;
    public const char Separator = ',';

    /// <summary>
    /// The distinct tags of a comma-separated list (look-alikes count once, <see cref="TextRules.NameKey"/>), trimmed (inner
    /// spaces made single) and lower-cased, in the order given.
    /// </summary>
    public static IReadOnlyList<string> Normalize(string tags) =>
        tags.Split(Separator)
            .Select(tag => Whitespace().Replace(tag.Trim(), " ").ToLowerInvariant())
            .Where(tag => tag.Length > 0)
            .DistinctBy(TextRules.NameKey)
            .ToList();

    /// <summary>The stored form of tags an operator typed; throws with a message when a limit is broken.</summary>
    public static string ValidStored(string? typed)
    {
        var tags = Normalize(TextRules.Optional(typed, MaxTags * (MaxTagLength + 1) * 4, "tags", nameof(MediaItem.Tags)));
        if (tags.FirstOrDefault(tag => tag.Length > MaxTagLength) is { } tooLong)
        {
            throw new DomainRuleException(
                $"The tag \"{tooLong}\" is {tooLong.Length} characters long; at most {MaxTagLength} are allowed.", nameof(MediaItem.Tags));
        }
        if (tags.Count > MaxTags)
        {
            throw new DomainRuleException($"There are {tags.Count} tags; at most {MaxTags} are allowed.", nameof(MediaItem.Tags));
        }
        return Join(tags);
    }

    public static IReadOnlyList<string> Parse(string stored) => stored.Length == 0 ? [] : stored.Split(Separator);

    public static string Join(IEnumerable<string> tags) => string.Join(Separator, tags);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
