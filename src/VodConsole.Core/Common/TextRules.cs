using System.Globalization;
using System.Text;

namespace VodConsole.Core.Common;

/// <summary>
/// The one way free text from a form is checked: made canonical (Unicode NFC), trimmed, refused when it holds characters
/// that are not text (controls, broken surrogates) or that disguise it (text-direction overrides), then measured — each
/// time with a message an operator understands. Anything else, markup included, is kept as typed and shown as text.
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
            else if (Problem(text[i], multiLine: false) is null)
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string Checked(string? text, int maxLength, string what, string field, bool multiLine)
    {
        var trimmed = Canonical(text ?? "", what, field).Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (char.IsHighSurrogate(trimmed[i]) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1]))
            {
                i++; // a whole character outside the basic plane (an emoji, a rare ideograph): fine
            }
            else if (Problem(trimmed[i], multiLine) is { } problem)
            {
                throw new DomainRuleException(
                    string.Format(CultureInfo.InvariantCulture, problem, what, (int)trimmed[i]), field);
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

    /// <summary>Why a character may not be in a value (a format with the field's name and the code point), or null.</summary>
    private static string? Problem(char c, bool multiLine) => c switch
    {
        '\n' or '\r' or '\t' when multiLine => null,
        '\t' => null,
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' =>
            "The {0} contains a text-direction override (U+{1:X4}), which can disguise what it says; remove it.",
        _ when char.IsSurrogate(c) => "The {0} contains characters that are not valid text; type it again.",
        _ when char.IsControl(c) => "The {0} contains an invisible control character (U+{1:X4}); remove it.",
        _ => null,
    };

    /// <summary>Whether a character shows: not white space, not a zero-width or other formatting mark.</summary>
    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
