using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Tests.Transcoding;

namespace VodConsole.Tests.Media.Storage;

/// <summary>
/// The console's own services on S3 storage, with real ffmpeg: every caller of the storage (upload, processing, covers,
/// transcoding, move, delete) works without a local path, and leaves neither objects nor local copies behind.
/// </summary>
public sealed class S3ConsoleTests : IAsyncLifetime
{
    private TranscodeWorld world = null!;

    public async ValueTask InitializeAsync() => world = await TranscodeWorld.StartAsync(onS3: true);

    public async ValueTask DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task An_upload_is_processed_covered_transcoded_moved_and_deleted_on_s3()
    {
        Assert.True(world.Console.OnS3);
        Assert.IsType<S3MediaStorage>(world.Console.Get<IMediaStorage>());
        await world.Console.EnableSubApplicationsAsync();
        var other = (await world.Console.Get<ApplicationService>().CreateSubApplicationAsync("On S3 too", null)).Id;
        var storage = world.Console.Get<IMediaStorage>();

        // Uploaded through the console's upload service, probed and given a cover from a local copy of the object.
        var clip = await world.ClipAsync();
        Assert.Equal(MediaStatus.Normal, clip.Status);
        Assert.InRange(clip.DurationSeconds!.Value, 2.5, 3.5);
        Assert.Equal((320, 240), (clip.Width, clip.Height));
        AssertJpeg(storage, clip.CoverKey!);
        var recovered = await (await world.InApp<MediaEditor>()).RegenerateCoverAsync(clip.Id, 2);
        Assert.NotEqual(clip.CoverKey, recovered.CoverKey);
        AssertJpeg(storage, recovered.CoverKey!);
        Assert.Null(storage.OpenRead(clip.CoverKey!)); // the replaced cover is deleted

        // Transcoded from a local copy into a tree stored on S3.
        var templateId = (await (await world.InApp<TranscodeTemplates>()).CreateAsync(new TranscodeTemplateEdit("S3 HLS", TranscodeFormat.Hls,
            [new TranscodeRendition(144, 300, 25, 64)]))).Id;
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], templateId);
        Assert.Equal(1, await world.RunQueuedAsync());
        var job = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id)).Job;
        Assert.Equal(TranscodeJobState.Done, job.State);
        Assert.StartsWith("#EXTM3U", Read(storage, job.OutputKey!, "master.m3u8"));
        Assert.Contains(".ts", Read(storage, job.OutputKey!, "144p/index.m3u8"));
        Assert.Empty(LocalCopies()); // every tool's copy was removed once the tool was done

        // Moved with everything it owns, then deleted with everything it owns.
        await (await world.InApp<MediaMover>()).MoveAsync([clip.Id], other);
        var moved = await MediaAsync(other, clip.Id);
        Assert.Equal(storage.KeyIn(clip.StorageKey, other), moved.StorageKey);
        using (var original = storage.OpenRead(moved.StorageKey)!)
        {
            Assert.Equal(clip.SizeBytes, original.Length);
        }
        AssertJpeg(storage, moved.CoverKey!);
        Assert.StartsWith("#EXTM3U", Read(storage, storage.KeyIn(job.OutputKey!, other), "master.m3u8"));
        Assert.Empty(storage.ListKeys(world.AppId));

        await (await world.Console.InApplicationAsync(other)).GetRequiredService<MediaLibrary>().DeleteAsync(clip.Id);

        Assert.Empty(storage.ListKeys(other));
        Assert.Null(storage.OpenRead(storage.KeyIn(job.OutputKey!, other), "master.m3u8"));
    }

    private static void AssertJpeg(IMediaStorage storage, string key)
    {
        using var cover = storage.OpenRead(key);
        Assert.NotNull(cover);
        var head = new byte[2];
        cover.ReadExactly(head);
        Assert.Equal([0xFF, 0xD8], head);
    }

    private static string Read(IMediaStorage storage, string tree, string path)
    {
        using var stream = storage.OpenRead(tree, path);
        Assert.True(stream is not null, $"{path} is missing from the tree");
        return new StreamReader(stream).ReadToEnd();
    }

    private IEnumerable<string> LocalCopies()
    {
        var copies = Path.Combine(Path.GetDirectoryName(world.Console.MediaRoot)!, "media-copies");
        return Directory.Exists(copies) ? Directory.EnumerateFiles(copies) : [];
    }

    private async Task<MediaItem> MediaAsync(long applicationId, long id)
    {
        await using var db = await world.Console.Get<ApplicationData>().OpenForAsync(applicationId);
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
