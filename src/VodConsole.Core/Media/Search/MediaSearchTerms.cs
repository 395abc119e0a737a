namespace VodConsole.Core.Media.Search;

/// <summary>
/// What a user typed into the search box and the tag filter, reduced to words (<see cref="MediaSearchWords"/>): letters
/// and digits only, so no input can change the meaning of the index's query language. Every word must match, as a word
/// or the start of one ("conf" finds "conference"); the tag's words must be whole words of the tags.
/// </summary>
public sealed record MediaSearchTerms(IReadOnlyList<string> Words, IReadOnlyList<string> TagWords)
{
    public const int MaxWords = 8;

    /// <summary>True when there is nothing for the index to look for (a tag without letters is left to the exact tag check).</summary>
    public bool IsEmpty => Words.Count == 0 && TagWords.Count == 0;

    public static MediaSearchTerms From(string? text, string? tag = null)
    {
        var normalizedTag = MediaTags.Normalize(tag ?? "").FirstOrDefault() ?? "";
        return new MediaSearchTerms(MediaSearchWords.Of(text ?? "").Take(MaxWords).ToList(), MediaSearchWords.Of(normalizedTag).ToList());
    }
}
