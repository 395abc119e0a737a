using System.Security.Cryptography;
using System.Text;

namespace VodConsole.Core.Callbacks;

/// <summary>
/// Signs push callbacks so a receiver can tell they come from the console and were not changed or replayed late:
/// <c>X-Vod-Signature: sha256=</c> + lower-case hex HMAC-SHA256, keyed with the application's callback key (its UTF-8
/// bytes), over <c>X-Vod-Timestamp + "." + body</c>. Documented with verification examples in docs/callbacks.md.
/// </summary>
public static class CallbackSignature
{
    public const string EventIdHeader = "X-Vod-Event-Id";
    /// <summary>The event ID again, under the name idempotency-aware receivers and frameworks look for.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    /// <summary>On a replay from the delivery log: the event it repeats.</summary>
    public const string ReplayOfHeader = "X-Vod-Replay-Of";
    public const string EventTypeHeader = "X-Vod-Event-Type";
    public const string TimestampHeader = "X-Vod-Timestamp";
    public const string SignatureHeader = "X-Vod-Signature";
    public const string Prefix = "sha256=";
    public const int KeyBytes = 32;

    /// <summary>A new random key: 32 bytes as URL-safe Base64 (43 characters), easy to paste into a receiver's settings.</summary>
    public static string GenerateKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The header value for a body sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string key, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.{body}");
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), signed));
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string key, long timestamp, string body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(key, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
