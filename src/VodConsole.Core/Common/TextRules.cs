using System.Globalization;
using System.Text;

namespace VodConsole.Core.Common;

/// <summary>
/// The one way free text from a form is checked: made canonical (Unicode NFC), trimmed, refused when it holds characters
/// that are not text (controls, broken surrogates), that disguise it (text-direction overrides) or that cannot be seen
/// (zero-width spaces and joiners, soft hyphens, direction marks, tabs), then measured — each time with a message that
/// names the character. Anything else, markup included, is kept as typed and shown as text. Unique names are compared
/// by <see cref="NameKey"/>, so names that look alike count as the same name.
/// </summary>
public static class TextRules
{
    /// <summary>
    /// A one-line value (a name, a title): returns it trimmed; throws with <paramref name="whenEmpty"/> if nothing visible
    /// is left, or when it is too long for <paramref name="maxLength"/> or holds a character it may not.
    /// </summary>
    public static string Required(string? text, int maxLength, string whenEmpty, string what, string field)
    {
        var clean = Checked(text, maxLength, what, field, multiLine: false);
        return clean.Any(IsVisible) ? clean : throw new DomainRuleException(whenEmpty, field);
    }

    /// <summary>A value that may be empty and span lines (a description): returns it trimmed, or throws as <see cref="Required"/> does.</summary>
    public static string Optional(string? text, int maxLength, string what, string field) =>
        Checked(text, maxLength, what, field, multiLine: true);

    /// <summary>
    /// Text that came from a machine rather than a person (a file name the browser sent): not refused but cleaned —
    /// characters a form would refuse are dropped.
    /// </summary>
    public static string Cleaned(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i++, 2);
            }
            else if (Problem(text, i, multiLine: false) is null)
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// What a unique name is compared by: compatibility forms unified (NFKC: "ｄｕｐ" is "dup", "ﬁ" is "fi"), case folded
    /// (including ß as ss and final ς as σ), invisible formatting characters left out (names stored before the text rule
    /// refused them), trimmed. Upper case, as names were compared before, so earlier keys of plain names stay equal.
    /// </summary>
    public static string NameKey(string name)
    {
        var visible = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKC))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format && c != '\u00AD')
            {
                visible.Append(c);
            }
        }
        return visible.ToString().ToLowerInvariant()
            .Replace("ß", "ss", StringComparison.Ordinal).Replace('ς', 'σ')
            .ToUpperInvariant().Normalize(NormalizationForm.FormKC).Trim();
    }

    private static string Checked(string? text, int maxLength, string what, string field, bool multiLine)
    {
        // A byte-order mark at the very start is what some editors put before pasted text; it carries nothing.
        var trimmed = Canonical(text ?? "", what, field).TrimStart('\uFEFF').Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (char.IsHighSurrogate(trimmed[i]) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1]))
            {
                i++; // a whole character outside the basic plane (an emoji, a rare ideograph): fine
            }
            else if (Problem(trimmed, i, multiLine) is { } problem)
            {
                throw new DomainRuleException(
                    string.Format(CultureInfo.InvariantCulture, problem, what, (int)trimmed[i], NameOf(trimmed[i])), field);
            }
        }
        return LengthProblem(trimmed, maxLength, what) is { } tooLong ? throw new DomainRuleException(tooLong, field) : trimmed;
    }

    /// <summary>
    /// The message for a value longer than <paramref name="maxLength"/> once trimmed, or null: what a form shows under its
    /// counter while typing, instead of a <c>maxlength</c> that would cut the value silently.
    /// </summary>
    public static string? LengthProblem(string? text, int maxLength, string what) =>
        text?.Trim().Length is { } length && length > maxLength ? $"The {what} is {length} characters long; at most {maxLength} are allowed." : null;

    /// <summary>The text in NFC, so "é" typed two ways is one value (and one length) everywhere.</summary>
    private static string Canonical(string text, string what, string field)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            throw new DomainRuleException($"The {what} contains characters that are not valid text; type it again.", field);
        }
    }

    /// <summary>
    /// Why the character at <paramref name="i"/> may not be in a value (a format with the field's name, the code point
    /// and the character's name), or null.
    /// </summary>
    private static string? Problem(string text, int i, bool multiLine) => text[i] switch
    {
        '\n' or '\r' when multiLine => null,
        '\t' => "The {0} contains a tab (U+{1:X4}), which shows as blank space of no fixed width; use spaces instead.",
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' =>
            "The {0} contains a text-direction override (U+{1:X4}), which can disguise what it says; remove it.",
        var c when char.IsSurrogate(c) => "The {0} contains characters that are not valid text; type it again.",
        var c when char.IsControl(c) => "The {0} contains an invisible control character (U+{1:X4}); remove it.",
        // Joiners change how the characters beside them are drawn only in emoji sequences (👨‍👩‍👧) and in scripts that
        // join letters (Persian, Indic); anywhere else they are invisible and only make look-alikes ("D\u200Dup").
        '\u200D' when JoinsEmoji(text, i) || JoinsLetters(text, i) => null,
        '\u200C' when JoinsLetters(text, i) => null,
        var c when IsInvisible(c) => "The {0} contains an invisible character, {2} (U+{1:X4}), which can make it look like another; remove it.",
        _ => null,
    };

    /// <summary>
    /// Characters that take no space and draw nothing: zero-width space, (non-)joiners, word joiner, byte-order mark, soft
    /// hyphen, direction marks and every other formatting character of the basic plane — except the few that draw a sign
    /// (Arabic number signs, which Unicode files as formatting too).
    /// </summary>
    private static bool IsInvisible(char c) =>
        c == '\u00AD'
        || (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
            && c is not (>= '\u0600' and <= '\u0605' or '\u06DD' or '\u070F' or '\u0890' or '\u0891' or '\u08E2'));

    private static string NameOf(char c) => c switch
    {
        '\u200B' => "a zero-width space",
        '\u200C' => "a zero-width non-joiner",
        '\u200D' => "a zero-width joiner",
        '\u2060' => "a word joiner",
        '\uFEFF' => "a zero-width no-break space (byte-order mark)",
        '\u00AD' => "a soft hyphen",
        '\u200E' => "a left-to-right mark",
        '\u200F' => "a right-to-left mark",
        '\u061C' => "an Arabic letter mark",
        _ => "a formatting character",
    };

    /// <summary>A zero-width joiner between two parts of an emoji (a pictograph, or a variation selector after one).</summary>
    private static bool JoinsEmoji(string text, int i) =>
        i > 0 && i + 1 < text.Length && IsEmojiPart(text, i - 1, before: true) && IsEmojiPart(text, i + 1, before: false);

    private static bool IsEmojiPart(string text, int at, bool before)
    {
        // Before the joiner, a pictograph outside the basic plane ends with its second half.
        if (before && char.IsLowSurrogate(text[at]) && at > 0 && char.IsHighSurrogate(text[at - 1]))
        {
            at--;
        }
        // The emoji presentation selector after a pictograph ("❤️‍🔥"), or a pictograph (symbols, the emoji planes).
        return text[at] == '\uFE0F'
            || (Rune.TryGetRuneAt(text, at, out var rune)
                && (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol || rune.Value is >= 0x1F000 and <= 0x1FAFF));
    }

    /// <summary>A joiner or non-joiner between two letters (or marks) of a script other than Latin, which draws them differently.</summary>
    private static bool JoinsLetters(string text, int i) =>
        i > 0 && i + 1 < text.Length && IsJoiningLetter(text[i - 1]) && IsJoiningLetter(text[i + 1]);

    private static bool IsJoiningLetter(char c) =>
        c >= '\u0590' && !char.IsSurrogate(c)
        && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>Whether a character shows: not white space, not a zero-width or other formatting mark.</summary>
    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
