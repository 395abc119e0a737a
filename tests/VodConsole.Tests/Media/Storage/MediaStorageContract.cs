using System.Security.Cryptography;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media.Storage;

/// <summary>
/// What every <see cref="IMediaStorage"/> must do, run against each implementation (local disk, S3). Bytes are compared
/// by length and hash, never only by status: a store that frames or truncates what it keeps must fail here.
/// </summary>
public abstract class MediaStorageContract : IAsyncLifetime
{
    /// <summary>Above one part of a multipart upload (8 MiB), so both parts and the short last one are exercised.</summary>
    protected const int LargeSize = 2 * 8 * 1024 * 1024 + 12_345;

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-storage-contract-");

    /// <summary>Starts at the real time (the S3 server stamps objects with it); a test moves it to age unfinished writes.</summary>
    protected TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected IMediaStorage Storage { get; private set; } = null!;

    protected string WorkDirectory => work.FullName;

    protected abstract Task<IMediaStorage> CreateAsync(string workDirectory, TimeProvider clock);

    /// <summary>Unfinished writes the store still holds (temporary files, multipart uploads), seen behind the storage's back.</summary>
    protected abstract Task<int> UnfinishedWritesAsync();

    public async ValueTask InitializeAsync() => Storage = await CreateAsync(work.FullName, Clock);

    public ValueTask DisposeAsync()
    {
        (Storage as IDisposable)?.Dispose();
        work.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_000_000)]
    [InlineData(LargeSize)]
    public async Task Bytes_read_back_are_the_bytes_written(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);

        var key = await Storage.SaveAsync(7, new TrickleStream(content)); // an upload arrives in pieces, not seekable

        Assert.StartsWith("7/", key);
        await using var read = Storage.OpenRead(key)!;
        Assert.Equal(size, read.Length);
        var copy = await ReadAllAsync(read);
        Assert.Equal((content.Length, Hash(content)), (copy.Length, Hash(copy)));
    }

    [Fact]
    public async Task Range_reads_give_the_bytes_at_any_position_forwards_and_back()
    {
        var content = RandomNumberGenerator.GetBytes(3_000_000);
        var key = await Storage.SaveAsync(7, new MemoryStream(content));
        await using var read = Storage.OpenRead(key)!;

        Assert.True(read.CanSeek);
        foreach (var (offset, count) in new[] { (0, 10), (2_500_000, 400_000), (100, 1), (1_000_000, 5), (2_999_990, 10) })
        {
            read.Seek(offset, SeekOrigin.Begin);
            var slice = new byte[count];
            await read.ReadExactlyAsync(slice);
            Assert.Equal(Hash(content.AsSpan(offset, count).ToArray()), Hash(slice));
        }
        read.Position = 2_000_000;
        var rest = await ReadAllAsync(read);
        Assert.Equal(Hash(content[2_000_000..]), Hash(rest));
        Assert.Equal(0, await read.ReadAsync(new byte[1]));
    }

    [Fact]
    public async Task A_tree_is_read_file_by_file_listed_once_and_paths_leaving_it_are_refused()
    {
        var segment = RandomNumberGenerator.GetBytes(300_000);
        var source = await TreeAsync(segment);

        var key = await Storage.SaveTreeAsync(7, source);

        Assert.Equal([key], Storage.ListKeys(7));
        await using (var read = Storage.OpenRead(key, "240p/seg_00000.ts"))
        {
            Assert.Equal(Hash(segment), Hash(await ReadAllAsync(read!)));
        }
        await using (var master = Storage.OpenRead(key, "master.m3u8"))
        {
            Assert.Equal("#EXTM3U\n240p/index.m3u8\n", System.Text.Encoding.UTF8.GetString(await ReadAllAsync(master!)));
        }
        Assert.Null(Storage.OpenRead(key, "240p/missing.ts"));
        Assert.Null(Storage.OpenRead(key)); // a tree is not a file
        Assert.Null(await Storage.LocalCopyAsync(key));
        foreach (var escape in new[] { "../../x", "/etc/passwd", "240p/../master.m3u8", "..", "a\\b", "" })
        {
            Assert.Throws<ArgumentException>(() => Storage.OpenRead(key, escape));
        }
    }

    [Fact]
    public async Task Files_and_trees_move_to_another_application_and_leave_the_first()
    {
        var content = RandomNumberGenerator.GetBytes(50_000);
        var file = await Storage.SaveAsync(7, new MemoryStream(content));
        var tree = await Storage.SaveTreeAsync(7, await TreeAsync([1, 2, 3]));

        var movedFile = Storage.MoveTo(file, 8);
        var movedTree = Storage.MoveTo(tree, 8);

        Assert.Equal((Storage.KeyIn(file, 8), Storage.KeyIn(tree, 8)), (movedFile, movedTree));
        Assert.Equal(file.Split('/')[1], movedFile.Split('/')[1]);
        Assert.Empty(Storage.ListKeys(7));
        Assert.Equal(new[] { movedFile, movedTree }.Order(StringComparer.Ordinal), Storage.ListKeys(8).Order(StringComparer.Ordinal));
        Assert.Null(Storage.OpenRead(file));
        Assert.Null(Storage.OpenRead(tree, "master.m3u8"));
        await using (var read = Storage.OpenRead(movedFile))
        {
            Assert.Equal(Hash(content), Hash(await ReadAllAsync(read!)));
        }
        await using (var segment = Storage.OpenRead(movedTree, "240p/seg_00000.ts"))
        {
            Assert.Equal([1, 2, 3], await ReadAllAsync(segment!));
        }
        Assert.Equal(movedFile, Storage.MoveTo(file, 8)); // already gone: nothing to move, not an error
    }

    [Fact]
    public async Task Deleting_removes_files_and_trees_and_deleting_again_is_harmless()
    {
        var file = await Storage.SaveAsync(7, new MemoryStream([9]));
        var tree = await Storage.SaveTreeAsync(7, await TreeAsync([4]));

        Storage.Delete(file);
        Storage.Delete(tree);
        Storage.Delete(file);
        Storage.Delete(tree);

        Assert.Null(Storage.OpenRead(file));
        Assert.Null(Storage.OpenRead(tree, "240p/seg_00000.ts"));
        Assert.Null(Storage.OpenRead(tree, "master.m3u8"));
        Assert.Empty(Storage.ListKeys(7));
    }

    [Fact]
    public async Task Only_the_applications_own_files_are_listed()
    {
        var own = await Storage.SaveAsync(7, new MemoryStream([1]));
        await Storage.SaveAsync(70, new MemoryStream([2])); // "7" is a prefix of "70": still another application
        await Storage.SaveAsync(17, new MemoryStream([3]));

        Assert.Equal([own], Storage.ListKeys(7));
        Assert.Empty(Storage.ListKeys(8));
    }

    [Theory]
    [InlineData(1_000, false)]
    [InlineData(1_000, true)]
    [InlineData(LargeSize, false)]
    [InlineData(LargeSize, true)]
    public async Task A_write_that_fails_or_is_cancelled_leaves_nothing(int sizeBeforeTheEnd, bool cancelled)
    {
        using var cancel = new CancellationTokenSource();
        var content = new BrokenStream(sizeBeforeTheEnd, cancelled ? cancel : null);

        var failure = await Record.ExceptionAsync(() => Storage.SaveAsync(7, content, cancel.Token));

        Assert.IsAssignableFrom(cancelled ? typeof(OperationCanceledException) : typeof(IOException), failure);
        Assert.Empty(Storage.ListKeys(7));
        Assert.Equal(0, await UnfinishedWritesAsync());
        Clock.Now += TimeSpan.FromDays(2);
        Assert.Equal(0, Storage.RemoveAbandonedWrites()); // nothing was left for a sweep either
    }

    [Fact]
    public async Task A_tree_that_cannot_be_stored_whole_leaves_nothing()
    {
        var source = await TreeAsync([5, 5]);
        await File.WriteAllBytesAsync(Path.Combine(source, "240p", "not a tree path.ts"), [6]); // refused midway

        await Assert.ThrowsAsync<ArgumentException>(() => Storage.SaveTreeAsync(7, source));

        Assert.Empty(Storage.ListKeys(7));
        Clock.Now += TimeSpan.FromDays(2);
        Assert.Equal(0, Storage.RemoveAbandonedWrites());
    }

    [Fact]
    public async Task A_write_in_progress_is_not_listed_and_no_sweep_touches_it()
    {
        var content = RandomNumberGenerator.GetBytes(LargeSize);
        var body = new PausingStream(content, pauseAt: LargeSize - 1000);
        var writing = Storage.SaveAsync(7, body);
        await body.Paused.Task;

        Assert.Empty(Storage.ListKeys(7));
        Clock.Now += TimeSpan.FromDays(2); // however old: it is this process's own
        Storage.RemoveAbandonedWrites();
        body.Resume.SetResult();
        var key = await writing;

        Assert.Equal([key], Storage.ListKeys(7));
        await using var read = Storage.OpenRead(key)!;
        Assert.Equal(Hash(content), Hash(await ReadAllAsync(read)));
    }

    [Fact]
    public async Task A_local_copy_for_tools_has_the_files_bytes_and_disposing_it_keeps_the_stored_file()
    {
        var content = RandomNumberGenerator.GetBytes(LargeSize);
        var key = await Storage.SaveAsync(7, new MemoryStream(content));

        using (var copy = await Storage.LocalCopyAsync(key))
        {
            Assert.Equal(Hash(content), Hash(await File.ReadAllBytesAsync(copy!.Path)));
        }

        Assert.NotNull(Storage.OpenRead(key));
        Assert.Null(await Storage.LocalCopyAsync(Storage.KeyIn(key, 8)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("7/../../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("7/movie.mp4")]
    [InlineData("7/0123456789abcdef0123456789abcdef/x")]
    public async Task Keys_it_did_not_make_are_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => Storage.OpenRead(key));
        Assert.Throws<ArgumentException>(() => Storage.OpenRead(key, "master.m3u8"));
        Assert.Throws<ArgumentException>(() => Storage.Delete(key));
        Assert.Throws<ArgumentException>(() => Storage.MoveTo(key, 8));
        Assert.Throws<ArgumentException>(() => Storage.KeyIn(key, 8));
        await Assert.ThrowsAsync<ArgumentException>(() => Storage.LocalCopyAsync(key));
    }

    protected static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A transcoding output's shape: a master playlist and a rendition folder with a playlist and a segment.</summary>
    protected async Task<string> TreeAsync(byte[] segment)
    {
        var source = Directory.CreateDirectory(Path.Combine(work.FullName, "tree-" + Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateDirectory(Path.Combine(source, "240p"));
        await File.WriteAllTextAsync(Path.Combine(source, "master.m3u8"), "#EXTM3U\n240p/index.m3u8\n");
        await File.WriteAllTextAsync(Path.Combine(source, "240p", "index.m3u8"), "#EXTM3U\nseg_00000.ts\n");
        await File.WriteAllBytesAsync(Path.Combine(source, "240p", "seg_00000.ts"), segment);
        return source;
    }

    /// <summary>Gives the bytes in uneven pieces, never more than 65,537 at a time, as a network upload does.</summary>
    private sealed class TrickleStream(byte[] content) : ReadOnlyStream
    {
        private int position;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var count = Math.Min(Math.Min(buffer.Length, 65_537), content.Length - position);
            content.AsMemory(position, count).CopyTo(buffer);
            position += count;
            return ValueTask.FromResult(count);
        }
    }

    /// <summary>Gives some bytes, then fails as a dropped connection does, or has its write cancelled.</summary>
    private sealed class BrokenStream(int size, CancellationTokenSource? cancel) : ReadOnlyStream
    {
        private int given;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (given >= size)
            {
                if (cancel is null)
                {
                    throw new IOException("The connection dropped.");
                }
                cancel.Cancel();
                ct.ThrowIfCancellationRequested();
            }
            var count = Math.Min(buffer.Length, size - given);
            buffer.Span[..count].Fill(42);
            given += count;
            return ValueTask.FromResult(count);
        }
    }

    /// <summary>Gives the bytes up to a point, then waits until the test lets it go on: a write in progress.</summary>
    private sealed class PausingStream(byte[] content, int pauseAt) : ReadOnlyStream
    {
        private int position;

        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (position == pauseAt)
            {
                Paused.TrySetResult();
                await Resume.Task.WaitAsync(ct);
            }
            var count = Math.Min(buffer.Length, (position < pauseAt ? pauseAt : content.Length) - position);
            content.AsMemory(position, count).CopyTo(buffer);
            position += count;
            return count;
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
