using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

public sealed class LocalMediaStorageTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("vodconsole-storage-");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task A_file_is_stored_in_its_applications_folder_and_reads_back()
    {
        var storage = new LocalMediaStorage(root.FullName);

        var key = await storage.SaveAsync(1500000001, new MemoryStream([1, 2, 3]));

        Assert.StartsWith("1500000001/", key);
        Assert.True(File.Exists(Path.Combine(root.FullName, "1500000001", key.Split('/')[1])));
        await using var read = storage.OpenRead(key)!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal([1, 2, 3], copy.ToArray());
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_file_behind()
    {
        var storage = new LocalMediaStorage(root.FullName);

        await Assert.ThrowsAsync<IOException>(() => storage.SaveAsync(7, new FailingStream()));

        Assert.Empty(Directory.GetFiles(root.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Unfinished_writes_left_by_a_crash_are_removed_and_the_one_being_written_is_kept()
    {
        var storage = new LocalMediaStorage(root.FullName);
        var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "7"));
        var leftover = Path.Combine(folder.FullName, new string('a', 32) + LocalMediaStorage.TempSuffix);
        await File.WriteAllBytesAsync(leftover, [1, 2, 3]); // what a killed process left
        var body = new BlockingStream();
        var writing = storage.SaveAsync(7, body);
        await body.Started.Task;

        var removed = storage.RemoveAbandonedWrites();

        Assert.Equal(1, removed);
        Assert.False(File.Exists(leftover));
        Assert.Single(Directory.GetFiles(folder.FullName, "*" + LocalMediaStorage.TempSuffix)); // the live one
        body.Finish.SetResult();
        var key = await writing;
        Assert.Equal([key], storage.ListKeys(7));
    }

    /// <summary>Gives some bytes, then fails as a dropped connection does.</summary>
    private sealed class FailingStream : Stream
    {
        private bool gaveSome;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (gaveSome)
            {
                throw new IOException("The connection dropped.");
            }
            gaveSome = true;
            buffer[offset] = 42;
            return 1;
        }
    }

    /// <summary>Sends one byte, then waits until the test lets it end: a write in progress.</summary>
    private sealed class BlockingStream : Stream
    {
        private bool sent;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (!sent)
            {
                sent = true;
                buffer.Span[0] = 42;
                Started.SetResult();
                return 1;
            }
            await Finish.Task.WaitAsync(ct);
            return 0;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
