using VodConsole.Core.Usage;

namespace VodConsole.Web.Playback;

/// <summary>
/// Stands in for a playback response's body and counts what is really written to the player, so traffic is what was
/// delivered, not what was asked for: a player that stops after a second pays for a second. Long responses report in
/// pieces as they go, so a download that lasts minutes spreads over the minutes that peak bandwidth is measured in.
/// It also counts a play once the response has delivered enough (<see cref="PlayRule"/>). Counts go to the
/// <see cref="PlaybackMeter"/>'s batch, which takes no time here: the response never waits for the database.
/// </summary>
/// <param name="playAt">Bytes after which the response counts as a play; null for responses that are never plays.</param>
internal sealed class TrafficMeteringStream(Stream inner, PlaybackMeter meter, long applicationId, long? playAt = null) : Stream
{
    private const long ReportEvery = 8L * 1024 * 1024;

    private long unreported;
    private long written;
    private bool played;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Counted when handed to the connection: a write that is cancelled because the player left has usually
        // reached it already, so this errs by at most one buffer per aborted response.
        unreported += buffer.Length;
        written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
        if (unreported >= ReportEvery)
        {
            Report();
        }
        if (!played && written >= playAt)
        {
            played = true;
            meter.AddPlay(applicationId);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();

    /// <summary>Reports what was written since the last report; called once more when the response is over.</summary>
    public void Report()
    {
        meter.AddTraffic(applicationId, unreported);
        unreported = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
