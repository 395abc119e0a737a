using VodConsole.Core.Media;

namespace VodConsole.Tests.Media.Storage;

/// <summary>The storage contract on local disk (the default).</summary>
public sealed class LocalMediaStorageContractTests : MediaStorageContract
{
    private string Root => Path.Combine(WorkDirectory, "media");

    protected override Task<IMediaStorage> CreateAsync(string workDirectory, TimeProvider clock) =>
        Task.FromResult<IMediaStorage>(new LocalMediaStorage(Root));

    protected override Task<int> UnfinishedWritesAsync() => Task.FromResult(
        Directory.Exists(Root) ? Directory.EnumerateFileSystemEntries(Root, "*" + LocalMediaStorage.TempSuffix, SearchOption.AllDirectories).Count() : 0);
}
