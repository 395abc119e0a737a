using System.Text;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// What a user typed into the search box, reduced to words: letters and digits only, so no input can change the
/// meaning of the index's query language. Every word must match, as a word or the start of one ("conf" finds "conference").
/// </summary>
public sealed record MediaSearchTerms(IReadOnlyList<string> Words, string? Tag)
{
    public const int MaxWords = 8;
    public const int MaxWordLength = 40;

    public bool IsEmpty => Words.Count == 0 && Tag is null;

    public static MediaSearchTerms From(string? text, string? tag = null)
    {
        var normalizedTag = MediaTags.Normalize(tag ?? "").FirstOrDefault();
        return new MediaSearchTerms(WordsOf(text ?? "").Take(MaxWords).ToList(), normalizedTag);
    }

    internal static IEnumerable<string> WordsOf(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (word.Length > 0)
            {
                yield return Clip(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return Clip(word.ToString());
        }
    }

    private static string Clip(string word) => word.Length > MaxWordLength ? word[..MaxWordLength] : word;
}
