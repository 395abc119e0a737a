using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VodConsole.Core.Common;

namespace VodConsole.Core.Playback;

public enum SignatureCheck { Valid, Missing, Expired, BadSignature }

/// <summary>
/// Key-based URL signing for an application's playback domain, after Tencent VOD's key anti-leech: a signed URL carries
/// <c>t</c>, the expiry as lower-case hex Unix seconds, and <c>sign</c>. Tencent's <c>sign</c> is MD5 over
/// <c>key + path + t</c>; here it is HMAC-SHA256 keyed with the application's key over <c>path + t</c> (the key is the
/// MAC key instead of a prefix), written as lower-case hex. Signatures are compared in constant time.
/// </summary>
public static class UrlSigning
{
    public const int KeyMinLength = 8;
    public const int KeyMaxLength = 20;
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Throws a <see cref="DomainRuleException"/> (field "key") unless the key is 8–20 ASCII letters and digits.</summary>
    public static void ValidateKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new DomainRuleException("Enter a signing key, or generate one.", "key");
        }
        if (key.Length is < KeyMinLength or > KeyMaxLength)
        {
            throw new DomainRuleException($"The signing key must be {KeyMinLength}–{KeyMaxLength} characters long.", "key");
        }
        if (!key.All(char.IsAsciiLetterOrDigit))
        {
            throw new DomainRuleException("The signing key may contain only letters A–Z, a–z and digits 0–9.", "key");
        }
    }

    /// <summary>A random key of the maximum length.</summary>
    public static string GenerateKey() => new(RandomNumberGenerator.GetItems<char>(KeyAlphabet, KeyMaxLength));

    /// <summary>The <c>t</c> and <c>sign</c> values for a path (such as <c>/play/1/2</c>) valid until <paramref name="expiresAt"/>.</summary>
    public static (string T, string Sign) Sign(string key, string path, DateTimeOffset expiresAt)
    {
        ValidateKey(key);
        var t = expiresAt.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        return (t, Compute(key, path, t));
    }

    public static SignatureCheck Verify(string key, string path, string? t, string? sign, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(t) || string.IsNullOrEmpty(sign))
        {
            return SignatureCheck.Missing;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(key, path, t));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sign)))
        {
            return SignatureCheck.BadSignature;
        }
        // The signature covers t, so a t that parses badly was signed badly too.
        if (!long.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var expiry))
        {
            return SignatureCheck.BadSignature;
        }
        return now.ToUnixTimeSeconds() > expiry ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    private static string Compute(string key, string path, string t) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(path + t)));
}
