using VodConsole.Core.Network;

namespace VodConsole.Core.Media;

/// <summary>The URLs of one "Pull from URL" submit, or what is wrong with them, line by line.</summary>
public sealed record MediaPullUrlList(IReadOnlyList<Uri> Urls, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Reads what an operator pasted: one URL per line, blank lines ignored. Only absolute http and https URLs without
/// credentials, and not aimed at an address the policy always refuses, are taken (<see cref="OutboundUrl"/>). Where a
/// host name leads once fetched is decided by <see cref="OutboundAddressPolicy"/> when connecting.
/// </summary>
public static class MediaPullUrls
{
    public const int MaxPerSubmit = 20;
    private const int QuoteLength = 60;

    public static MediaPullUrlList Parse(string? text, OutboundAddressPolicy policy)
    {
        var lines = (text ?? "").Split('\n')
            .Select((line, index) => (Text: line.Trim(), Number: index + 1))
            .Where(line => line.Text.Length > 0)
            .ToList();
        if (lines.Count == 0)
        {
            return Refused("Paste at least one URL, one per line.");
        }
        if (lines.Count > MaxPerSubmit)
        {
            return Refused($"At most {MaxPerSubmit} URLs can be pulled at once; this list has {lines.Count}.");
        }

        var urls = new List<Uri>();
        var problems = new List<string>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, number) in lines)
        {
            if (OutboundUrl.Read(line, MediaPull.UrlMaxLength, "pulled", policy, out var url) is { } problem)
            {
                problems.Add($"Line {number} ({Quote(line)}): {problem}");
                continue;
            }
            if (!firstLineOf.TryAdd(url.AbsoluteUri, number))
            {
                problems.Add($"Line {number} ({Quote(line)}): the same URL is already on line {firstLineOf[url.AbsoluteUri]}.");
                continue;
            }
            urls.Add(url);
        }
        return new MediaPullUrlList(urls, problems);
    }

    /// <summary>What the media made from a URL is called: its last path segment, else its host.</summary>
    public static string FileNameOf(Uri url)
    {
        var segment = Uri.UnescapeDataString(url.Segments[^1]).Trim().TrimEnd('/');
        return segment.Length > 0 ? segment : url.IdnHost;
    }

    private static string Quote(string line) => line.Length <= QuoteLength ? line : line[..(QuoteLength - 1)] + "…";

    private static MediaPullUrlList Refused(string problem) => new([], [problem]);
}
