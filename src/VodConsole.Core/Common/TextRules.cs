namespace VodConsole.Core.Common;

/// <summary>The one way free text from a form is checked: trimmed, then measured, with a message an operator understands.</summary>
public static class TextRules
{
    /// <summary>Returns the trimmed text; throws with <paramref name="whenEmpty"/> if it is empty or too long for <paramref name="maxLength"/>.</summary>
    public static string Required(string? text, int maxLength, string whenEmpty, string what, string field)
    {
        var trimmed = Optional(text, maxLength, what, field);
        return trimmed.Length > 0 ? trimmed : throw new DomainRuleException(whenEmpty, field);
    }

    /// <summary>Returns the trimmed text (empty when none), or throws if it is longer than <paramref name="maxLength"/>.</summary>
    public static string Optional(string? text, int maxLength, string what, string field)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainRuleException($"The {what} is {trimmed.Length} characters long; at most {maxLength} are allowed.", field);
    }
}
