using VodConsole.Core.Common;

namespace VodConsole.Core.Media;

/// <summary>
/// A file arriving from a user: its first bytes are read up front to recognise it (<see cref="Format"/>), then the
/// whole file reads through, counted against a size limit, so memory stays flat and an oversized file is stopped early.
/// </summary>
internal sealed class CheckedUploadStream : ForwardReadStream
{
    private readonly Stream rest;
    private readonly long maxBytes;
    private readonly Func<Exception> tooLarge;
    private ReadOnlyMemory<byte> pending;

    private CheckedUploadStream(MediaFormat? format, ReadOnlyMemory<byte> head, Stream rest, long maxBytes, Func<Exception> tooLarge)
    {
        Format = format;
        pending = head;
        this.rest = rest;
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    /// <summary>What the first bytes say the file is; null when nothing the console supports.</summary>
    public MediaFormat? Format { get; }

    /// <summary>How many bytes have passed so far; the file's size once it has been read to the end.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads the head of <paramref name="body"/>; reading past <paramref name="maxBytes"/> throws what <paramref name="tooLarge"/> makes.</summary>
    public static async Task<CheckedUploadStream> OpenAsync(Stream body, long maxBytes, Func<Exception> tooLarge, CancellationToken ct)
    {
        var head = new byte[MediaContent.HeaderLength];
        var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return new CheckedUploadStream(MediaContent.Sniff(head.AsSpan(0, read)), head.AsMemory(0, read), body, maxBytes, tooLarge);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int read;
        if (!pending.IsEmpty)
        {
            read = Math.Min(buffer.Length, pending.Length);
            pending[..read].CopyTo(buffer);
            pending = pending[read..];
        }
        else
        {
            read = await rest.ReadAsync(buffer, ct);
        }
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            throw tooLarge();
        }
        return read;
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
}
