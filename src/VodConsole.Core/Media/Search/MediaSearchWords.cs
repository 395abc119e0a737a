using System.Globalization;
using System.Text;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// The one rule that turns text into search words, used both for what is indexed and for what a user types, so the two
/// always agree: compatibility forms unified (full-width "ＡＢＣ" is "abc", "ﬁ" is "fi"), lower case, accents removed from
/// Latin letters ("Café" is "cafe", as SQLite's unicode61 tokenizer did), everything else kept as written. A word is a
/// run of letters and digits; combining marks stay inside it (Hindi and Thai words are not cut at their vowel signs).
/// </summary>
public static class MediaSearchWords
{
    public const int MaxWordLength = 40;

    // The unaccented letter of each Latin letter up to Latin Extended Additional, computed once: a lookup per letter
    // keeps indexing a million rows cheap. Only Latin loses its marks; in other scripts (Cyrillic й, Japanese が) a
    // mark makes a different letter.
    private const int LatinEnd = 0x1F00;
    private static readonly char[] LatinBase = BuildLatinBase();

    /// <summary>The words of a text, each at most <see cref="MaxWordLength"/> characters (longer ones are cut).</summary>
    public static IEnumerable<string> Of(string text) => Whole(text).Select(word => word[..ClippedLength(word)]);

    /// <summary>The words of a text at full length.</summary>
    internal static IEnumerable<string> Whole(string text)
    {
        var word = new StringBuilder();
        var afterLatin = false;
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                var letter = Fold(rune);
                afterLatin = letter.Value < LatinEnd && LatinBase[letter.Value] != '\0';
                word.Append(letter.ToString());
                continue;
            }
            if (IsMark(rune) && word.Length > 0)
            {
                // After a Latin letter a mark is an accent without a precomposed form: drop it like the others.
                if (!afterLatin)
                {
                    word.Append(rune.ToString());
                }
                continue;
            }
            if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>How much of a word is kept: at most <see cref="MaxWordLength"/> characters, never half of a pair.</summary>
    internal static int ClippedLength(ReadOnlySpan<char> word) =>
        word.Length <= MaxWordLength ? word.Length
        : char.IsHighSurrogate(word[MaxWordLength - 1]) ? MaxWordLength - 1 : MaxWordLength;

    private static Rune Fold(Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        if (lower.Value < LatinEnd && LatinBase[lower.Value] is not '\0' and var unaccented)
        {
            return new Rune(unaccented);
        }
        // Greek final sigma is the same letter as σ (unicode61 folded it too).
        return lower.Value == 'ς' ? new Rune('σ') : lower;
    }

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>For each Latin letter, itself without accents; '\0' for everything that is not a Latin letter.</summary>
    private static char[] BuildLatinBase()
    {
        var table = new char[LatinEnd];
        foreach (var (first, last) in new[] { ('A', 'Z'), ('a', 'z'), ('\u00C0', '\u024F'), ('\u1E00', '\u1EFF') })
        {
            for (var c = first; c <= last; c++)
            {
                if (!char.IsLetter(c))
                {
                    continue;
                }
                var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
                var accentsOnly = decomposed.Skip(1).All(m => CharUnicodeInfo.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark);
                table[c] = accentsOnly && decomposed[0] < LatinEnd ? decomposed[0] : c;
            }
        }
        return table;
    }
}
