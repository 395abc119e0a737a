namespace VodConsole.Core.Network;

/// <summary>
/// The form check for a URL the console will request for a user (a pull, a push callback): absolute http or https, a
/// host, no credentials, bounded length, and not an address <see cref="OutboundAddressPolicy"/> will always refuse (an IP
/// address or a <c>localhost</c> name it refuses). Where a host name leads is decided at connect time by the policy.
/// </summary>
public static class OutboundUrl
{
    /// <summary>The URL as it will be requested (no fragment), or why it cannot be.</summary>
    /// <param name="use">How the message says what the URL is for: "pulled", "used for callbacks".</param>
    public static string? Read(string text, int maxLength, string use, OutboundAddressPolicy policy, out Uri url)
    {
        url = null!;
        var tooLong = $"a URL may have at most {maxLength} characters.";
        if (text.Length > maxLength)
        {
            return tooLong;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            return "this is not a valid URL (it should start with https:// or http://).";
        }
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"only http and https URLs can be {use}.";
        }
        if (parsed.Host.Length == 0)
        {
            return "the URL has no host name.";
        }
        if (parsed.UserInfo.Length > 0)
        {
            // Credentials would be stored and shown; a signed URL or a token in the path does the same safely.
            return "URLs with a user name or password are not accepted.";
        }
        if (policy.RefusalForHost(parsed) is { } refused)
        {
            // Known now, so said now: saved, it would only fail (and a callback be retried) later.
            return refused;
        }
        url = new Uri(parsed.GetLeftPart(UriPartial.Query));
        return url.AbsoluteUri.Length > maxLength ? tooLong : null;
    }
}
