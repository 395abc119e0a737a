using VodConsole.Core.Media.Search;

namespace VodConsole.Tests.Media;

/// <summary>The normalisation that the index and the search box share, and the per-application terms built from it.</summary>
public sealed class MediaSearchWordsTests
{
    [Theory]
    [InlineData("Café crème", new[] { "cafe", "creme" })]
    [InlineData("ÉCOLE Ångström Łódź", new[] { "ecole", "angstrom", "łodz" })] // ł has no accent to remove: it is a letter
    [InlineData("e\u0301te\u0301", new[] { "ete" })] // accents typed as combining marks
    [InlineData("ＡＢＣ ｆｉｌｍ １２３", new[] { "abc", "film", "123" })] // full-width forms
    [InlineData("ﬁnal", new[] { "final" })] // ligature
    [InlineData("Йошкар-Ола", new[] { "йошкар", "ола" })] // й is its own Cyrillic letter, not и with an accent
    [InlineData("ΛΌΓΟΣ λόγος", new[] { "λόγοσ", "λόγοσ" })] // Greek keeps its accents; final sigma is σ
    [InlineData("がっこう ｶﾞｯｺｳ", new[] { "がっこう", "ガッコウ" })] // dakuten kept; half-width kana made full
    [InlineData("हिन्दी फ़िल्म", new[] { "हिन्दी", "फ़िल्म" })] // vowel signs stay inside the word
    [InlineData("𠮷野家 2024", new[] { "𠮷野家", "2024" })] // a character outside the BMP is one letter
    [InlineData("rock'n'roll, live_show", new[] { "rock", "n", "roll", "live", "show" })]
    public void Words_are_normalised_the_same_way_for_the_index_and_the_search_box(string text, string[] expected) =>
        Assert.Equal(expected, MediaSearchWords.Of(text));

    [Fact]
    public void Long_words_are_cut_without_splitting_a_character()
    {
        Assert.Equal(new string('a', MediaSearchWords.MaxWordLength), MediaSearchWords.Of(new string('a', 60)).Single());

        var word = MediaSearchWords.Of(new string('a', MediaSearchWords.MaxWordLength - 1) + "𠮷𠮷").Single();

        Assert.Equal(MediaSearchWords.MaxWordLength - 1, word.Length);
    }

    [Fact]
    public void Terms_carry_their_application()
    {
        Assert.Equal("1500000001_cafe 1500000001_2024", MediaSearchTokens.ForIndex(1500000001, "Café, 2024!"));
        Assert.Equal("", MediaSearchTokens.ForIndex(1500000001, " ,;"));
    }

    [Fact]
    public void Runs_of_letters_written_without_spaces_are_also_indexed_from_each_letter_on()
    {
        Assert.Equal("7_新品 7_品 7_产品发布会 7_品发布会 7_发布会 7_布会 7_会", MediaSearchTokens.ForIndex(7, "新品：产品发布会"));
        Assert.Equal("7_aベータ版 7_ベータ版 7_ータ版 7_タ版 7_版", MediaSearchTokens.ForIndex(7, "aベータ版"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("title: OR NOT *")]
    [InlineData("NEAR(a b) \"x\" AND ^y")]
    public void A_match_expression_quotes_every_word(string typed)
    {
        var expression = SqliteMediaSearchIndex.MatchExpression(9, MediaSearchTerms.From(typed, "Live Show"));

        var terms = expression.Split(" AND ");
        Assert.All(terms, term => Assert.Matches("^(tags : )?\"9_[\\p{L}\\p{N}]+\"\\*?$", term));
        Assert.EndsWith("tags : \"9_live\" AND tags : \"9_show\"", expression);
    }
}
