using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VodConsole.Client;
using VodConsole.Core.Data;

namespace VodConsole.Core.Api;

/// <summary>What a request says about itself: the signed parts and the signature headers, as received.</summary>
public sealed record ApiSignedRequest(
    string Method, string Host, string Path, string Query,
    string? KeyId, string? Timestamp, string? Nonce, string? ContentSha256, string? Signature);

/// <summary>
/// Checks a request's signature (<see cref="VodApiSignature"/>): headers present and well-formed, timestamp within five
/// minutes of the server's clock, the key known, the signature right (compared in constant time), the key enabled, and
/// the nonce never used before. Only then is the key's use recorded. The body's hash is the caller's to check against
/// the signed <see cref="ApiSignedRequest.ContentSha256"/>, because only it reads the body.
/// </summary>
public sealed partial class ApiRequestVerifier(
    IDbContextFactory<VodDbContext> dbFactory, ApiKeySecrets secrets, ApiNonceStore nonces, TimeProvider clock)
{
    /// <summary>Last-used times are written at most this often per key, so busy keys do not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<ApiKeyCaller> VerifyAsync(ApiSignedRequest request, CancellationToken ct = default)
    {
        var signed = Parse(request, out var signature);
        var now = clock.GetUtcNow();
        var requestTime = DateTimeOffset.FromUnixTimeSeconds(signed.Timestamp);
        if ((now - requestTime).Duration() > VodApiSignature.MaxClockSkew)
        {
            throw ApiErrors.Unauthorized(ApiErrors.SignatureExpire,
                $"The request's timestamp is more than {VodApiSignature.MaxClockSkew.TotalMinutes:0} minutes from the server's time "
                + $"({now.ToUnixTimeSeconds()}); sign each request just before sending it.");
        }

        ApiKey? key;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == signed.KeyId, ct);
        }
        if (key is null)
        {
            throw ApiErrors.Unauthorized(ApiErrors.KeyNotFound, "No API key has this key ID; it may have been deleted.");
        }

        var expected = Encoding.ASCII.GetBytes(VodApiSignature.Sign(signed, secrets.Unprotect(key.ProtectedSecret)));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            throw ApiErrors.Unauthorized(ApiErrors.SignatureFailure,
                "The signature does not match the request. Check the secret and the canonical request (docs/api.md).");
        }
        // Said only to a caller who proved to hold the secret.
        if (!key.IsEnabled)
        {
            throw ApiErrors.Unauthorized(ApiErrors.KeyDisabled, "This API key is disabled; enable it in the console or use another.");
        }
        if (!await nonces.TryUseAsync(key.KeyId, signed.Nonce, requestTime.Add(VodApiSignature.MaxClockSkew).UtcDateTime, ct))
        {
            throw ApiErrors.Unauthorized(ApiErrors.NonceReused, "This nonce was already used with this key; use a new one for every request.");
        }

        await RecordUseAsync(key.Id, now.UtcDateTime, ct);
        return ApiKeyCaller.From(key);
    }

    private async Task RecordUseAsync(long keyId, DateTime now, CancellationToken ct)
    {
        var stale = now - LastUsedResolution;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ApiKeys
            .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < stale))
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), ct);
    }

    private static VodApiRequest Parse(ApiSignedRequest request, out string signature)
    {
        var keyId = Required(request.KeyId, VodApiSignature.KeyIdHeader);
        if (keyId.Length > ApiKey.KeyIdMaxLength)
        {
            throw Malformed(VodApiSignature.KeyIdHeader, "is not a key ID");
        }
        var timestampText = Required(request.Timestamp, VodApiSignature.TimestampHeader);
        // Unix seconds; anything beyond year 9999 cannot be a time at all.
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || timestamp > 253402300799)
        {
            throw Malformed(VodApiSignature.TimestampHeader, "must be the Unix time in seconds");
        }
        var nonce = Required(request.Nonce, VodApiSignature.NonceHeader);
        if (!NoncePattern().IsMatch(nonce))
        {
            throw Malformed(VodApiSignature.NonceHeader, $"must be 8 to {ApiNonce.MaxLength} letters, digits, '-' or '_'");
        }
        var contentSha256 = Required(request.ContentSha256, VodApiSignature.ContentSha256Header);
        if (!Sha256Pattern().IsMatch(contentSha256))
        {
            throw Malformed(VodApiSignature.ContentSha256Header, "must be the body's SHA-256 in hex (64 characters)");
        }
        signature = Required(request.Signature, VodApiSignature.SignatureHeader).ToLowerInvariant();
        if (!Sha256Pattern().IsMatch(signature))
        {
            throw Malformed(VodApiSignature.SignatureHeader, "must be the HMAC-SHA256 in hex (64 characters)");
        }
        return new VodApiRequest(request.Method, request.Host, request.Path, request.Query, keyId, timestamp, nonce, contentSha256.ToLowerInvariant());
    }

    private static string Required(string? value, string header) =>
        string.IsNullOrWhiteSpace(value)
            ? throw ApiErrors.Unauthorized(ApiErrors.InvalidAuthorization,
                $"The {header} header is missing. Every request is signed: see docs/api.md.")
            : value.Trim();

    private static ApiException Malformed(string header, string rule) =>
        ApiErrors.Unauthorized(ApiErrors.InvalidAuthorization, $"The {header} header {rule}.");

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
