using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VodConsole.Tests;

/// <summary>
/// An authenticator app in a few lines (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), so tests compute codes from
/// the key the console shows, as a phone would. Written here rather than taken from Identity, so the two are checked
/// against each other.
/// </summary>
public static class Totp
{
    private const int StepSeconds = 30;

    /// <summary>The code for a key (Base32, as shown: any case, spaces allowed) at a time; now when none is given.</summary>
    public static string Code(string base32Key, DateTimeOffset? at = null, int stepOffset = 0)
    {
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / StepSeconds + stepOffset;
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Seconds until the current code changes: a test that types a code waits for a fresh one when this is short.</summary>
    public static int SecondsLeftInStep(DateTimeOffset? at = null) =>
        StepSeconds - (int)((at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() % StepSeconds);

    /// <summary>A six-digit code that none of the steps near now accepts (Identity allows a little clock drift).</summary>
    public static string WrongCode(string base32Key)
    {
        var near = Enumerable.Range(-3, 7).Select(offset => Code(base32Key, stepOffset: offset)).ToHashSet();
        var wrong = 0;
        while (near.Contains(wrong.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)))
        {
            wrong++;
        }
        return wrong.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            var value = alphabet.IndexOf(c);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a Base32 character.");
            }
            buffer = ((buffer << 5) | value) & 0xffff; // only the bits not yet taken matter
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
            }
        }
        return [.. bytes];
    }
}
