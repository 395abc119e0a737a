using Amazon.S3;
using Amazon.S3.Model;

namespace VodConsole.Core.Media;

/// <summary>
/// A seekable read of one object through ranged GETs, for HTTP Range responses: each GET asks for a window from the
/// current position, starting small (a player's probe reads a few bytes) and doubling while reading goes on, so a seek
/// costs at most a small wasted read and a long read few requests. Nothing is buffered beyond the HTTP response.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, string key, long length) : Stream
{
    private const long FirstWindow = 256 * 1024;
    private const long LargestWindow = 16 * 1024 * 1024;

    private long position;
    private GetObjectResponse? response;
    /// <summary>Where the open response's next byte is in the object, and where its window ends (exclusive).</summary>
    private long responsePosition;
    private long responseEnd;
    private long window = FirstWindow;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || position >= length)
        {
            return 0;
        }
        if (response is null || responsePosition != position || responsePosition >= responseEnd)
        {
            await OpenAsync(cancellationToken);
        }
        var read = await response!.ResponseStream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The object {key} ended at byte {position} of {length}: it changed while it was read.");
        }
        position += read;
        responsePosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads serve callers that have no async path; off the caller's context, as in <see cref="S3MediaStorage"/>.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        Task.Run(() => ReadAsync(buffer, offset, count, CancellationToken.None)).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => length + offset,
    };

    private async Task OpenAsync(CancellationToken ct)
    {
        // Reading on where the last window ended: a longer window; after a seek: a small one again.
        window = response is not null && responsePosition == position ? Math.Min(window * 2, LargestWindow) : FirstWindow;
        response?.Dispose();
        response = null;
        var end = Math.Min(length, position + window);
        response = await client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket, Key = key, ByteRange = new ByteRange(position, end - 1),
        }, ct);
        responsePosition = position;
        responseEnd = end;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            response?.Dispose();
            response = null;
        }
        base.Dispose(disposing);
    }
}
