using System.Globalization;
using System.Security.Cryptography;

namespace VodConsole.Client;

/// <summary>
/// Signs <see cref="HttpRequestMessage"/>s for the console's server API with one key: adds the key ID, timestamp,
/// nonce, body SHA-256 and signature headers. Use it directly, or as <see cref="VodApiSigningHandler"/> in an
/// <see cref="HttpClient"/>.
/// </summary>
public sealed class VodApiSigner(string keyId, string secret, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public string KeyId => keyId;

    /// <summary>
    /// Signs the request. The body is hashed as it is (buffered first, so it can still be sent); for a large file pass
    /// its SHA-256 as <paramref name="contentSha256"/> instead, and the body is left alone to stream.
    /// </summary>
    public async Task SignAsync(HttpRequestMessage request, string? contentSha256 = null, CancellationToken ct = default)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URL.");
        if (!uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("Sign the request once its URL is absolute (the host is signed too).");
        }
        var hash = contentSha256 ?? await BodySha256Async(request.Content, ct);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var signature = VodApiSignature.Sign(
            new VodApiRequest(request.Method.Method, uri.IsDefaultPort ? uri.Host : uri.Authority, uri.AbsolutePath, uri.Query,
                keyId, timestamp, nonce, hash),
            secret);

        var headers = request.Headers;
        foreach (var name in new[]
        {
            VodApiSignature.KeyIdHeader, VodApiSignature.TimestampHeader, VodApiSignature.NonceHeader,
            VodApiSignature.ContentSha256Header, VodApiSignature.SignatureHeader,
        })
        {
            headers.Remove(name);
        }
        headers.Add(VodApiSignature.KeyIdHeader, keyId);
        headers.Add(VodApiSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        headers.Add(VodApiSignature.NonceHeader, nonce);
        headers.Add(VodApiSignature.ContentSha256Header, hash);
        headers.Add(VodApiSignature.SignatureHeader, signature);
    }

    private static async Task<string> BodySha256Async(HttpContent? content, CancellationToken ct)
    {
        if (content is null)
        {
            return VodApiSignature.EmptySha256;
        }
        await content.LoadIntoBufferAsync(ct);
        return VodApiSignature.Sha256Hex(await content.ReadAsByteArrayAsync(ct));
    }

    public override string ToString() => $"VodApiSigner {{ KeyId = {keyId} }}"; // the secret stays out of logs
}

/// <summary>An <see cref="HttpClient"/> handler that signs every request it sends with <see cref="VodApiSigner"/>.</summary>
public sealed class VodApiSigningHandler(VodApiSigner signer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, ct: cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
