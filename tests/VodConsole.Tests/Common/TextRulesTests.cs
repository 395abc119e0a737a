using VodConsole.Core.Common;

namespace VodConsole.Tests.Common;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("Robert'); DROP TABLE Media;--")]
    [InlineData("Ünïcödé 🎬 名前 العربية")]
    public void Markup_quotes_and_any_language_are_kept_as_typed(string text) =>
        Assert.Equal(text, TextRules.Required($"  {text} ", 100, "Enter it.", "name", "Name"));

    [Fact]
    public void Text_is_made_canonical_so_one_word_typed_two_ways_is_one_value()
    {
        Assert.Equal("caf\u00e9", TextRules.Required("cafe\u0301", 4, "Enter it.", "name", "Name"));
    }

    [Theory]
    [InlineData("   ", "Enter it.")]
    [InlineData("\u200B\u200B\uFEFF", "invisible character, a zero-width space (U+200B)")]
    [InlineData("\uFEFF", "Enter it.")] // a byte-order mark alone: dropped, then nothing is left
    [InlineData("Tab\tinside", "tab (U+0009)")]
    [InlineData("Soft\u00ADhyphen", "soft hyphen (U+00AD)")]
    [InlineData("Mark\u200Fed", "right-to-left mark (U+200F)")]
    [InlineData("Dup\u2060", "word joiner (U+2060)")]
    [InlineData("in\uFEFFside", "byte-order mark")]
    [InlineData("D\u200Dup", "zero-width joiner (U+200D)")] // between Latin letters a joiner draws nothing
    [InlineData("a\u2062b", "formatting character (U+2062)")] // any other invisible formatting character
    [InlineData("evil\u202Etxt.exe", "text-direction override (U+202E)")]
    [InlineData("a\u2067b", "text-direction override (U+2067)")]
    [InlineData("nul\u0000byte", "invisible control character (U+0000)")]
    [InlineData("bell\u0007", "invisible control character (U+0007)")]
    [InlineData("two\nlines", "invisible control character (U+000A)")]
    public void A_name_with_nothing_visible_or_with_characters_that_are_not_text_is_refused_with_a_clear_message(string text, string message)
    {
        var refused = Assert.Throws<DomainRuleException>(() => TextRules.Required(text, 100, "Enter it.", "name", "Name"));
        Assert.Contains(message, refused.Message);
        Assert.Equal("Name", refused.Field);
    }

    [Fact]
    public void A_broken_surrogate_is_not_text() // not theory data: its serialisation would repair the string
    {
        var refused = Assert.Throws<DomainRuleException>(() => TextRules.Required("broken \uD800 surrogate", 100, "Enter it.", "name", "Name"));
        Assert.Contains("not valid text", refused.Message);
    }

    [Fact]
    public void A_description_may_span_lines_but_not_hold_controls_or_tabs()
    {
        Assert.Equal("one\r\ntwo three", TextRules.Optional(" one\r\ntwo three ", 100, "description", "Description"));
        Assert.Contains("tab (U+0009)", Assert.Throws<DomainRuleException>(() => TextRules.Optional("two\tcolumns", 100, "description", "Description")).Message);
        Assert.Equal("", TextRules.Optional(null, 100, "description", "Description"));
        Assert.Throws<DomainRuleException>(() => TextRules.Optional("esc\u001b[31m", 100, "description", "Description"));
    }

    [Fact]
    public void Too_long_says_how_long_and_the_limit()
    {
        var refused = Assert.Throws<DomainRuleException>(() => TextRules.Required(new string('x', 10_000), 40, "Enter it.", "name", "Name"));
        Assert.Equal("The name is 10000 characters long; at most 40 are allowed.", refused.Message);
    }

    [Fact]
    public void Machine_text_is_cleaned_instead_of_refused()
    {
        Assert.Equal("clip.mp4", TextRules.Cleaned("cl\u0000ip\u202E.mp4"));
        Assert.Equal("🎬 é.mp4", TextRules.Cleaned("🎬 e\u0301.mp4\uD800".Replace("\uD800", "")));
    }

    [Theory]
    [InlineData("Dup", "dup")]
    [InlineData("Dup", "ＤＵＰ")]
    [InlineData("Dup", "D\u200Bup")] // stored before the rule refused it
    [InlineData("Straße", "STRASSE")]
    [InlineData("ﬁlm", "FILM")]
    [InlineData("ὈΔΥΣΣΕΎΣ", "ὀδυσσεύς")]
    [InlineData(" Dup ", "Dup")]
    public void Names_that_look_alike_have_one_key(string one, string other) =>
        Assert.Equal(TextRules.NameKey(one), TextRules.NameKey(other));

    [Fact]
    public void Names_that_differ_keep_different_keys()
    {
        Assert.NotEqual(TextRules.NameKey("Dup"), TextRules.NameKey("Dupe"));
        Assert.NotEqual(TextRules.NameKey("Résumé"), TextRules.NameKey("Resume")); // accents are part of a name
        Assert.Equal("PRIMARY APPLICATION", TextRules.NameKey("Primary application")); // earlier keys of plain names stay valid
    }
}
