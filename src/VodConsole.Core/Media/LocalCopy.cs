namespace VodConsole.Core.Media;

/// <summary>
/// A stored file as a path on local disk, for tools that need one (ffprobe, ffmpeg). On local disk it is the stored file
/// itself and disposing does nothing; on object storage it is a temporary download, deleted on dispose.
/// </summary>
public sealed class LocalCopy : IDisposable
{
    private readonly Action? release;

    internal LocalCopy(string path, Action? release = null)
    {
        Path = path;
        this.release = release;
    }

    public string Path { get; }

    public void Dispose() => release?.Invoke();
}
