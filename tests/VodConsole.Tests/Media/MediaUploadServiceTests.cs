using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Media;

public sealed class MediaUploadServiceTests : IAsyncDisposable
{
    private const long Limit = 1_000_000;
    private readonly DirectoryInfo mediaRoot = Directory.CreateTempSubdirectory("vodconsole-upload-");
    private TestConsole? console;

    private async Task<(TestConsole Console, long AppId)> StartAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IMediaStorage>(new LocalMediaStorage(mediaRoot.FullName)));
        var primary = (await console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);
        return (console, primary.Id);
    }

    public async ValueTask DisposeAsync()
    {
        if (console is not null) await console.DisposeAsync();
        mediaRoot.Delete(recursive: true);
    }

    /// <summary>An MP4 header followed by <paramref name="size"/> bytes in all.</summary>
    private static byte[] Mp4(int size)
    {
        var bytes = new byte[size];
        Encoding.ASCII.GetBytes("\0\0\0\u0020ftypisom").CopyTo(bytes, 0);
        return bytes;
    }

    private string[] StoredFiles() => Directory.GetFiles(mediaRoot.FullName, "*", SearchOption.AllDirectories);

    private async Task<List<MediaItem>> MediaOfAsync(long appId)
    {
        await using var db = await console!.Get<ApplicationData>().OpenForAsync(appId);
        return await db.Media.AsNoTracking().ToListAsync();
    }

    private async Task<long> LevelAsync(long appId, UsageMetric metric)
    {
        await using var db = await console!.OpenDbAsync();
        return await db.DailyUsage.Where(u => u.ApplicationId == appId && u.Metric == metric)
            .OrderByDescending(u => u.Day).Select(u => u.Value).FirstOrDefaultAsync();
    }

    [Fact]
    public async Task An_upload_stores_the_file_creates_a_processing_row_and_updates_the_rollups()
    {
        var (c, appId) = await StartAsync();
        var content = Mp4(300_000);

        var item = await c.Get<MediaUploadService>().UploadAsync(appId, "  Launch trailer .mp4", new MemoryStream(content), Limit);

        var row = Assert.Single(await MediaOfAsync(appId));
        Assert.Equal(item.Id, row.Id);
        Assert.Equal("Launch trailer", row.Title);
        Assert.Equal("Launch trailer .mp4", row.OriginalFileName);
        Assert.Equal(MediaStatus.Processing, row.Status);
        Assert.Equal("video/mp4", row.ContentType);
        Assert.Equal(content.Length, row.SizeBytes);
        await using (var stored = c.Get<IMediaStorage>().OpenRead(row.StorageKey)!)
        {
            var copy = new MemoryStream();
            await stored.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }
        Assert.Equal(content.Length, await LevelAsync(appId, UsageMetric.StorageBytes));
        Assert.Equal(1, await LevelAsync(appId, UsageMetric.MediaCount));
    }

    [Fact]
    public async Task A_text_file_named_mp4_is_refused_and_leaves_nothing()
    {
        var (c, appId) = await StartAsync();
        var text = Encoding.UTF8.GetBytes("This is not a video, only a renamed text file.\n");

        var refused = await Assert.ThrowsAsync<MediaUploadRefusedException>(() =>
            c.Get<MediaUploadService>().UploadAsync(appId, "movie.mp4", new MemoryStream(text), Limit));

        Assert.Equal(UploadRefusal.UnsupportedType, refused.Reason);
        Assert.Contains("not a supported video, audio or image file", refused.Message);
        Assert.Empty(await MediaOfAsync(appId));
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task An_upload_over_the_limit_leaves_no_row_no_file_and_no_usage()
    {
        var (c, appId) = await StartAsync();

        var refused = await Assert.ThrowsAsync<MediaUploadRefusedException>(() =>
            c.Get<MediaUploadService>().UploadAsync(appId, "big.mp4", new MemoryStream(Mp4((int)Limit + 1)), Limit));

        Assert.Equal(UploadRefusal.TooLarge, refused.Reason);
        Assert.Contains("upload limit", refused.Message);
        Assert.Empty(await MediaOfAsync(appId));
        Assert.Empty(StoredFiles());
        Assert.Equal(0, await LevelAsync(appId, UsageMetric.StorageBytes));
        Assert.Equal(0, await LevelAsync(appId, UsageMetric.MediaCount));
    }

    [Fact]
    public async Task A_file_exactly_at_the_limit_is_accepted()
    {
        var (c, appId) = await StartAsync();

        await c.Get<MediaUploadService>().UploadAsync(appId, "edge.mp4", new MemoryStream(Mp4((int)Limit)), Limit);

        Assert.Equal(Limit, Assert.Single(await MediaOfAsync(appId)).SizeBytes);
    }

    [Fact]
    public async Task A_connection_that_drops_midway_leaves_no_row_and_no_file()
    {
        var (c, appId) = await StartAsync();

        await Assert.ThrowsAsync<IOException>(() =>
            c.Get<MediaUploadService>().UploadAsync(appId, "dropped.mp4", new DroppingStream(Mp4(100_000)), Limit));

        Assert.Empty(await MediaOfAsync(appId));
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_no_row_and_no_file()
    {
        var (c, appId) = await StartAsync();
        using var cancel = new CancellationTokenSource();
        var body = new DroppingStream(Mp4(100_000), onDrop: cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            c.Get<MediaUploadService>().UploadAsync(appId, "cancelled.mp4", body, Limit, cancel.Token));

        Assert.Empty(await MediaOfAsync(appId));
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task When_the_row_cannot_be_written_the_stored_file_is_deleted()
    {
        var (c, _) = await StartAsync();
        const long unknownApplication = 9_999_999_999; // the row's foreign key fails

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            c.Get<MediaUploadService>().UploadAsync(unknownApplication, "orphan.mp4", new MemoryStream(Mp4(10_000)), Limit));

        Assert.Empty(StoredFiles());
    }

    /// <summary>Gives its content up to the middle, then fails as a dropped connection does (or cancels first).</summary>
    private sealed class DroppingStream(byte[] content, Action? onDrop = null) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position >= Length / 2)
            {
                if (onDrop is null)
                {
                    throw new IOException("The connection dropped.");
                }
                onDrop();
                ct.ThrowIfCancellationRequested();
            }
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], ct);
        }
    }
}
