using VodConsole.Core.Media;

namespace VodConsole.Tests;

public static class LocalStoragePaths
{
    /// <summary>
    /// The stored file's path on local disk, or null when there is none: for tests of a console on local disk (the
    /// default of <see cref="TestConsole"/>), which look at the files themselves.
    /// </summary>
    public static string? LocalPathOf(this IMediaStorage storage, string key) => ((LocalMediaStorage)storage).LocalPathOf(key);
}
