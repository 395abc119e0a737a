using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

/// <summary>Uploads processed with the real ffprobe and ffmpeg (./test.sh installs Debian's ffmpeg).</summary>
public sealed class MediaUploadProcessingTests : IAsyncDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-processing-");
    private TestConsole? console;

    public async ValueTask DisposeAsync()
    {
        if (console is not null) await console.DisposeAsync();
        work.Delete(recursive: true);
    }

    private async Task<MediaItem> UploadAndProcessAsync(string fileName, Stream content)
    {
        var storageRoot = Path.Combine(work.FullName, "media");
        console = await TestConsole.StartAsync(s => s.AddSingleton<IMediaStorage>(new LocalMediaStorage(storageRoot)));
        var appId = (await console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        var uploaded = await console.Get<MediaUploadService>().UploadAsync(appId, fileName, content, MediaOptions.DefaultMaxUploadBytes);

        Assert.Equal(1, await console.Get<MediaProcessor>().ProcessPendingAsync());
        Assert.Equal(0, await console.Get<MediaProcessor>().ProcessPendingAsync());

        await using var db = await console.Get<ApplicationData>().OpenForAsync(appId);
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == uploaded.Id);
    }

    private async Task<(int Width, int Height)> CoverSizeAsync(string coverKey)
    {
        var path = console!.Get<IMediaStorage>().LocalPathOf(coverKey);
        Assert.NotNull(path);
        var probed = await new MediaProbe().ProbeAsync(path);
        return (probed.Width!.Value, probed.Height!.Value);
    }

    [Fact]
    public async Task A_video_gets_its_duration_size_and_a_cover_and_becomes_normal()
    {
        var video = await TestMedia.VideoAsync(work.FullName);

        var item = await UploadAndProcessAsync("test-video.mp4", File.OpenRead(video));

        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.Null(item.FailureReason);
        Assert.InRange(item.DurationSeconds!.Value, 1.9, 2.1);
        Assert.Equal(320, item.Width);
        Assert.Equal(240, item.Height);
        Assert.Equal("h264", item.VideoCodec);
        Assert.True(item.BitrateBps > 0);
        Assert.NotNull(item.CoverKey);
        Assert.Equal((320, 240), await CoverSizeAsync(item.CoverKey));
    }

    [Fact]
    public async Task An_image_gets_its_size_and_itself_scaled_as_cover_but_no_duration()
    {
        var image = await TestMedia.GenerateAsync(work.FullName, "still.png", "-f", "lavfi", "-i", "testsrc=size=640x480", "-frames:v", "1");

        var item = await UploadAndProcessAsync("still.png", File.OpenRead(image));

        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.Null(item.DurationSeconds);
        Assert.Equal((640, 480), (item.Width, item.Height));
        Assert.Equal((320, 240), await CoverSizeAsync(item.CoverKey!));
    }

    [Fact]
    public async Task An_audio_file_gets_its_duration_and_no_cover()
    {
        var audio = await TestMedia.GenerateAsync(work.FullName, "tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=3");

        var item = await UploadAndProcessAsync("tone.wav", File.OpenRead(audio));

        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.InRange(item.DurationSeconds!.Value, 2.9, 3.1);
        Assert.Null(item.Width);
        Assert.Null(item.VideoCodec);
        Assert.Equal("pcm_s16le", item.AudioCodec);
        Assert.Null(item.CoverKey);
    }

    [Fact]
    public async Task A_broken_file_ends_failed_with_a_reason()
    {
        // Looks like an MP4 from its first bytes, but nothing after them is a video.
        var broken = new MemoryStream([0, 0, 0, 0x20, .. "ftypisom"u8, .. new byte[4096]]);

        var item = await UploadAndProcessAsync("broken.mp4", broken);

        Assert.Equal(MediaStatus.Failed, item.Status);
        Assert.False(string.IsNullOrWhiteSpace(item.FailureReason));
        Assert.Null(item.CoverKey);
    }

    [Fact]
    public async Task A_probe_that_runs_too_long_is_stopped_with_a_reason()
    {
        var video = await TestMedia.VideoAsync(work.FullName);

        var failure = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaProbe(TimeSpan.FromTicks(1)).ProbeAsync(video));

        Assert.Contains("did not finish", failure.Message);
    }
}
