using System.Text.RegularExpressions;
using VodConsole.Core.Common;

namespace VodConsole.Core.Media;

/// <summary>
/// Tags the way <see cref="MediaItem.Tags"/> stores them: trimmed, lower-cased, each once, joined by commas (so a tag
/// can never contain one).
/// </summary>
public static partial class MediaTags
{
    public const int MaxCount = 20;
    public const int MaxLength = 30;

    /// <summary>The stored form of a comma-separated list as someone typed it; throws with a message when a limit is broken.</summary>
    public static string Normalize(string? commaSeparated)
    {
        var tags = (commaSeparated ?? "")
            .Split(',')
            .Select(tag => Whitespace().Replace(tag.Trim(), " ").ToLowerInvariant())
            .Where(tag => tag.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (tags.FirstOrDefault(tag => tag.Length > MaxLength) is { } tooLong)
        {
            throw new DomainRuleException(
                $"The tag \"{tooLong}\" is {tooLong.Length} characters long; at most {MaxLength} are allowed.", nameof(MediaItem.Tags));
        }
        if (tags.Count > MaxCount)
        {
            throw new DomainRuleException($"There are {tags.Count} tags; at most {MaxCount} are allowed.", nameof(MediaItem.Tags));
        }
        return string.Join(',', tags);
    }

    /// <summary>The tags in a stored value, in their order.</summary>
    public static IReadOnlyList<string> List(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
