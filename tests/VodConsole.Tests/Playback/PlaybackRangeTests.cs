using Microsoft.Net.Http.Headers;
using VodConsole.Web.Playback;

namespace VodConsole.Tests.Playback;

/// <summary>What the playback endpoint counts as served, which must match what range processing sends.</summary>
public sealed class PlaybackRangeTests
{
    [Theory]
    [InlineData(null, 0, 1000)]
    [InlineData("bytes=0-", 0, 1000)]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=100-199", 100, 100)]
    [InlineData("bytes=900-5000", 900, 100)]
    [InlineData("bytes=-300", 700, 300)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=0-9,20-29", 0, 1000)]
    [InlineData("bytes=1000-", -1, 0)]
    public void Served_range_follows_the_range_header(string? header, long offset, long length)
    {
        var range = header is null ? null : RangeHeaderValue.Parse(header);

        Assert.Equal((offset, length), PlaybackEndpoints.ServedRange(range, 1000));
    }
}
