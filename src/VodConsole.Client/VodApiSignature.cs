using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VodConsole.Client;

/// <summary>The parts of a request that its signature covers.</summary>
/// <param name="Method">The HTTP method, any case (signed upper-case).</param>
/// <param name="Host">The <c>Host</c> header as sent: host name, and the port when it is not the scheme's default.</param>
/// <param name="Path">The URL path, escaped or not (each segment is decoded and escaped again the one way).</param>
/// <param name="Query">The query string without the <c>?</c>, as sent; empty when there is none.</param>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the request body (of nothing, for a request without one).</param>
public sealed record VodApiRequest(
    string Method, string Host, string Path, string Query, string KeyId, long Timestamp, string Nonce, string ContentSha256);

/// <summary>
/// The server API's request signature (docs/api.md), written down once: clients sign with it and the console verifies
/// with it, so the two cannot drift apart. HMAC-SHA256 with the key's secret over a string that names the algorithm,
/// the timestamp and the SHA-256 of a canonical form of the request: method, path, sorted query, host, key ID, nonce,
/// timestamp and the body's SHA-256.
/// </summary>
public static class VodApiSignature
{
    public const string Algorithm = "VOD-HMAC-SHA256";

    public const string KeyIdHeader = "X-Vod-KeyId";
    public const string TimestampHeader = "X-Vod-Timestamp";
    public const string NonceHeader = "X-Vod-Nonce";
    public const string ContentSha256Header = "X-Vod-Content-SHA256";
    public const string SignatureHeader = "X-Vod-Signature";

    /// <summary>How far a request's timestamp may be from the server's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>SHA-256 of an empty body: what a GET or DELETE sends as its content hash.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Eight lines joined by <c>\n</c>: METHOD, path, query, <c>host:</c>, <c>x-vod-keyid:</c>, <c>x-vod-nonce:</c>,
    /// <c>x-vod-timestamp:</c>, body SHA-256.
    /// </summary>
    public static string CanonicalRequest(VodApiRequest request) => string.Join('\n',
        request.Method.ToUpperInvariant(),
        CanonicalPath(request.Path),
        CanonicalQuery(request.Query),
        "host:" + request.Host.Trim().ToLowerInvariant(),
        "x-vod-keyid:" + request.KeyId.Trim(),
        "x-vod-nonce:" + request.Nonce.Trim(),
        "x-vod-timestamp:" + request.Timestamp.ToString(CultureInfo.InvariantCulture),
        request.ContentSha256.Trim().ToLowerInvariant());

    /// <summary>Three lines: the algorithm, the timestamp, and the hex SHA-256 of the canonical request.</summary>
    public static string StringToSign(VodApiRequest request) => string.Join('\n',
        Algorithm,
        request.Timestamp.ToString(CultureInfo.InvariantCulture),
        Sha256Hex(Encoding.UTF8.GetBytes(CanonicalRequest(request))));

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign, keyed with the secret's UTF-8 bytes.</summary>
    public static string Sign(VodApiRequest request, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(StringToSign(request))));

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<string> Sha256HexAsync(Stream data, CancellationToken ct = default) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(data, ct));

    /// <summary>Each segment decoded, then escaped as RFC 3986 asks (only letters, digits and <c>-_.~</c> stay as they are).</summary>
    public static string CanonicalPath(string path)
    {
        var segments = (path.Length == 0 ? "/" : path).Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s)));
        return string.Join('/', segments);
    }

    /// <summary>
    /// Every name and value decoded (<c>+</c> is a space), escaped as RFC 3986 asks, sorted by name then value
    /// (ordinal), joined as <c>name=value</c> with <c>&amp;</c>; a name without <c>=</c> gets an empty value.
    /// </summary>
    public static string CanonicalQuery(string query) => string.Join('&',
        ParseQuery(query)
            .Select(p => (Name: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>The query's parameters in the order sent, decoded; duplicates kept.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var text = query.StartsWith('?') ? query[1..] : query;
        return text.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? "" : pair[(equals + 1)..];
                return new KeyValuePair<string, string>(Decode(name), Decode(value));
            })
            .ToList();
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
