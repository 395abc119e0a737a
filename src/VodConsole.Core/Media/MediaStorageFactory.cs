using VodConsole.Core.Setup;

namespace VodConsole.Core.Media;

/// <summary>The media storage <c>Storage:Provider</c> names: local disk (the default) or an S3-compatible bucket.</summary>
public static class MediaStorageFactory
{
    /// <param name="dataDirectory">The instance's absolute data directory: local media live in it, and S3's local copies for tools.</param>
    public static IMediaStorage Create(StorageOptions options, string dataDirectory, TimeProvider clock) => options.Provider switch
    {
        _ when options.Provider.Equals("Local", StringComparison.OrdinalIgnoreCase) => new LocalMediaStorage(Path.Combine(dataDirectory, "media")),
        _ when options.Provider.Equals("S3", StringComparison.OrdinalIgnoreCase) =>
            new S3MediaStorage(options.S3, Path.Combine(dataDirectory, "media-copies"), clock),
        _ => throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use 'Local' (the default) or 'S3'."),
    };
}
