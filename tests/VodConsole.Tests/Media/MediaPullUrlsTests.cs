using Microsoft.Extensions.Options;
using VodConsole.Core.Media;
using VodConsole.Core.Network;

namespace VodConsole.Tests.Media;

public sealed class MediaPullUrlsTests
{
    private static readonly OutboundAddressPolicy Policy = new(Options.Create(new NetworkOptions()));

    [Fact]
    public void One_url_per_line_is_read_trimmed_without_blank_lines_or_fragments()
    {
        var list = MediaPullUrls.Parse("  https://cdn.example.com/videos/trailer.mp4  \r\n\r\nhttp://example.org/a.webm?token=abc#t=10\n", Policy);

        Assert.True(list.IsValid);
        Assert.Equal(["https://cdn.example.com/videos/trailer.mp4", "http://example.org/a.webm?token=abc"], list.Urls.Select(u => u.AbsoluteUri));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n \r\n ")]
    [InlineData(null)]
    public void Empty_input_asks_for_a_url(string? text)
    {
        var list = MediaPullUrls.Parse(text, Policy);

        Assert.Empty(list.Urls);
        Assert.Equal("Paste at least one URL, one per line.", Assert.Single(list.Problems));
    }

    [Fact]
    public void More_than_twenty_urls_are_refused_as_a_whole()
    {
        var text = string.Join("\n", Enumerable.Range(1, 21).Select(i => $"https://example.com/{i}.mp4"));

        var list = MediaPullUrls.Parse(text, Policy);

        Assert.Empty(list.Urls);
        Assert.Equal("At most 20 URLs can be pulled at once; this list has 21.", Assert.Single(list.Problems));
    }

    [Fact]
    public void Twenty_urls_are_accepted()
    {
        var text = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"https://example.com/{i}.mp4"));

        Assert.Equal(20, MediaPullUrls.Parse(text, Policy).Urls.Count);
    }

    [Theory]
    [InlineData("ftp://example.com/a.mp4", "only http and https URLs can be pulled")]
    [InlineData("file:///etc/passwd", "not a valid URL")]
    [InlineData("javascript:alert(1)", "only http and https URLs can be pulled")]
    [InlineData("example.com/a.mp4", "not a valid URL")]
    [InlineData("https://", "not a valid URL")]
    [InlineData("http://exa mple.com/a.mp4", "not a valid URL")]
    [InlineData("https://user:secret@example.com/a.mp4", "user name or password")]
    public void Malformed_and_non_http_urls_are_refused_with_their_line(string url, string problem)
    {
        var list = MediaPullUrls.Parse("https://example.com/ok.mp4\n" + url, Policy);

        var message = Assert.Single(list.Problems);
        Assert.StartsWith("Line 2 (", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void A_url_longer_than_the_limit_is_refused_and_quoted_short()
    {
        var url = "https://example.com/" + new string('a', MediaPull.UrlMaxLength) + ".mp4";

        var message = Assert.Single(MediaPullUrls.Parse(url, Policy).Problems);

        Assert.Contains($"at most {MediaPull.UrlMaxLength} characters", message);
        Assert.True(message.Length < 200, message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/a.mp4", "127.0.0.1 is a loopback address")]
    [InlineData("http://LOCALHOST.:8080/a.mp4", "localhost. is a loopback address")]
    [InlineData("http://[::127.0.0.1]/a.mp4", "[::127.0.0.1] is a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata or link-local address")]
    public void An_address_the_policy_always_refuses_is_refused_with_the_setting_that_allows_it(string url, string what)
    {
        var message = Assert.Single(MediaPullUrls.Parse("https://example.com/ok.mp4\n" + url, Policy).Problems);

        Assert.StartsWith("Line 2 (", message);
        Assert.Contains(what, message);
        Assert.Contains("Network:AllowedPrivateNetworks", message);
    }

    [Fact]
    public void A_duplicate_names_the_line_it_repeats()
    {
        var list = MediaPullUrls.Parse("https://example.com/a.mp4\nhttps://example.com/b.mp4\nHTTPS://EXAMPLE.com/a.mp4#again", Policy);

        Assert.Equal("Line 3 (HTTPS://EXAMPLE.com/a.mp4#again): the same URL is already on line 1.", Assert.Single(list.Problems));
    }

    [Theory]
    [InlineData("https://example.com/videos/Launch%20trailer.mp4?sig=1", "Launch trailer.mp4")]
    [InlineData("https://example.com/videos/", "videos")]
    [InlineData("https://example.com", "example.com")]
    public void The_file_name_comes_from_the_last_path_segment_else_the_host(string url, string fileName) =>
        Assert.Equal(fileName, MediaPullUrls.FileNameOf(new Uri(url)));
}
