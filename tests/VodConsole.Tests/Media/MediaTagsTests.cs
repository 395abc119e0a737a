using VodConsole.Core.Common;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

public sealed class MediaTagsTests
{
    [Theory]
    [InlineData("  Nature , WILDLIFE,nature,  ,big   cats ", "nature,wildlife,big cats")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData(",,,", "")]
    public void Tags_are_trimmed_lower_cased_and_kept_once_in_their_order(string? typed, string stored)
    {
        Assert.Equal(stored, MediaTags.ValidStored(typed));
    }

    [Fact]
    public void A_tag_over_30_characters_is_refused_with_its_length()
    {
        var rule = Assert.Throws<DomainRuleException>(() => MediaTags.ValidStored("ok, " + new string('t', 31)));

        Assert.Contains("31 characters long; at most 30", rule.Message);
        Assert.Equal(nameof(MediaItem.Tags), rule.Field);
    }

    [Fact]
    public void Twenty_tags_are_allowed_and_the_21st_is_refused()
    {
        var twenty = string.Join(',', Enumerable.Range(1, 20).Select(i => $"tag{i}"));

        Assert.Equal(20, MediaTags.Parse(MediaTags.ValidStored(twenty)).Count);
        var rule = Assert.Throws<DomainRuleException>(() => MediaTags.ValidStored(twenty + ",tag21"));
        Assert.Contains("21 tags; at most 20", rule.Message);
    }

    [Fact]
    public void Duplicates_do_not_count_towards_the_limit()
    {
        var repeated = string.Join(',', Enumerable.Range(1, 20).Select(i => $"tag{i}").Concat(["TAG1", " tag2 "]));

        Assert.Equal(20, MediaTags.Parse(MediaTags.ValidStored(repeated)).Count);
    }
}
