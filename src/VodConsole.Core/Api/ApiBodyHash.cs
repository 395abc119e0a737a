using System.Security.Cryptography;
using VodConsole.Client;
using VodConsole.Core.Common;

namespace VodConsole.Core.Api;

/// <summary>Checks that a request's body is the one its signature covers (the signed SHA-256).</summary>
public static class ApiBodyHash
{
    /// <summary>
    /// Wraps a streamed body: it hashes as it is read, and at its end a SHA-256 other than <paramref name="sha256Hex"/>
    /// throws, so whoever is storing it (the upload pipeline) fails and keeps nothing. Memory stays flat whatever the size.
    /// </summary>
    public static Stream Checking(Stream body, string sha256Hex) => new CheckingStream(body, sha256Hex.ToLowerInvariant());

    public static ApiException Mismatch() => ApiErrors.Unauthorized(ApiErrors.ContentHashMismatch,
        $"The body does not match its {VodApiSignature.ContentSha256Header}; it may have been changed on the way.");

    private sealed class CheckingStream(Stream inner, string expectedHex) : ForwardReadStream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool checkedAtEnd;
        private long position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await inner.ReadAsync(buffer, ct);
            position += read;
            if (read > 0)
            {
                hash.AppendData(buffer.Span[..read]);
            }
            else if (!checkedAtEnd)
            {
                checkedAtEnd = true;
                if (Convert.ToHexStringLower(hash.GetHashAndReset()) != expectedHex)
                {
                    throw Mismatch();
                }
            }
            return read;
        }

        public override long Position { get => position; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
