using System.Text;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// The terms the SQLite index stores: every word prefixed with its application ("1500000001_trailer"). A search then only
/// ever reads its own application's terms, however common a word is elsewhere; with one shared term per word, FTS5 had
/// to merge a common word's matches across all applications (195,000 of a million rows) to keep one application's 3,800.
/// </summary>
internal static class MediaSearchTokens
{
    /// <summary>Joins the application to the word; never part of a word, so no application's terms begin another's.</summary>
    public const char Separator = '_';

    public static string Of(long applicationId, string word) => $"{applicationId}{Separator}{word}";

    /// <summary>
    /// The space-separated terms of a column. Words in scripts written without spaces (Chinese, Japanese, Thai…) are
    /// one run of letters, so each is also stored from every later letter on ("产品发布会", "品发布会", … "会"): the
    /// prefix search then finds a word in the middle of the run ("发布会"), as it finds the start of any word.
    /// </summary>
    public static string ForIndex(long applicationId, string text)
    {
        var terms = new StringBuilder();
        foreach (var word in MediaSearchWords.Whole(text))
        {
            for (var start = 0; start < word.Length; start += char.IsSurrogatePair(word, start) ? 2 : 1)
            {
                if (start == 0 || StartsASuffix(Rune.GetRuneAt(word, start)))
                {
                    var rest = word.AsSpan(start);
                    terms.Append(terms.Length == 0 ? "" : " ")
                        .Append(applicationId).Append(Separator).Append(rest[..MediaSearchWords.ClippedLength(rest)]);
                }
            }
        }
        return terms.ToString();
    }

    private static bool StartsASuffix(Rune rune) => Rune.IsLetter(rune) && IsWrittenWithoutSpaces(rune);

    private static bool IsWrittenWithoutSpaces(Rune rune) => rune.Value switch
    {
        >= 0x0E00 and <= 0x0EFF => true, // Thai, Lao
        >= 0x1000 and <= 0x109F => true, // Myanmar
        >= 0x1780 and <= 0x17FF => true, // Khmer
        >= 0x2E80 and <= 0x2FDF => true, // CJK radicals
        >= 0x3005 and <= 0x3007 => true, // 々 〆 〇
        >= 0x3040 and <= 0x30FF => true, // Hiragana, Katakana
        >= 0x31F0 and <= 0x31FF => true, // Katakana extensions
        >= 0x3400 and <= 0x4DBF => true, // CJK extension A
        >= 0x4E00 and <= 0x9FFF => true, // CJK unified ideographs
        >= 0xF900 and <= 0xFAFF => true, // CJK compatibility ideographs
        >= 0x20000 and <= 0x3FFFF => true, // CJK extensions B and later
        _ => false,
    };
}
