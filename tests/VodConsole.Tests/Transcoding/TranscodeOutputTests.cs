using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Transcoding;

/// <summary>Real ffmpeg on tiny generated clips: the outputs are checked by reading them back, not by trusting the job.</summary>
public sealed partial class TranscodeOutputTests : IAsyncLifetime
{
    private TranscodeWorld world = null!;

    public async ValueTask InitializeAsync() => world = await TranscodeWorld.StartAsync();

    public async ValueTask DisposeAsync() => await world.DisposeAsync();

    private async Task<long> TemplateAsync(TranscodeFormat format, params int[] heights)
    {
        var templates = await world.InApp<TranscodeTemplates>();
        var created = await templates.CreateAsync(new TranscodeTemplateEdit($"Test {format} {string.Join("-", heights)}", format,
            heights.Select(h => new TranscodeRendition(h, 300 + h, 25, 64)).ToList()));
        return created.Id;
    }

    private string Read(string key, string path)
    {
        using var stream = world.Console.Get<IMediaStorage>().OpenRead(key, path);
        Assert.True(stream is not null, $"{path} is missing from the output");
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task Hls_output_has_a_master_playlist_and_complete_variants_and_skips_renditions_above_the_source()
    {
        var clip = await world.ClipAsync();
        var templateId = await TemplateAsync(TranscodeFormat.Hls, 144, 240, 480);

        Assert.Equal(1, await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], templateId));
        Assert.Equal(1, await world.RunQueuedAsync());

        var transcoding = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id));
        var job = transcoding.Job;
        Assert.Equal(TranscodeJobState.Done, job.State);
        Assert.Equal(100, job.Percent);
        Assert.NotNull(job.OutputKey);

        // The master playlist lists exactly the renditions at or below the source's 240 lines: 480p is never made.
        var master = Read(job.OutputKey, "master.m3u8").Split('\n').Select(l => l.Trim()).ToList();
        Assert.Equal("#EXTM3U", master[0]);
        var variants = master.Select((line, i) => (line, i)).Where(x => x.line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            .Select(x => (Info: x.line, Uri: master[x.i + 1])).ToList();
        Assert.Equal(["144p/index.m3u8", "240p/index.m3u8"], variants.Select(v => v.Uri).Order());
        Assert.Contains(variants, v => v.Info.Contains("RESOLUTION=320x240", StringComparison.Ordinal));
        Assert.Contains(variants, v => v.Info.Contains("RESOLUTION=192x144", StringComparison.Ordinal));
        Assert.Null(world.Console.Get<IMediaStorage>().OpenRead(job.OutputKey, "480p/index.m3u8"));

        var durations = new List<double>();
        foreach (var (_, uri) in variants)
        {
            var playlist = Read(job.OutputKey, uri).Split('\n').Select(l => l.Trim()).ToList();
            Assert.Contains("#EXT-X-ENDLIST", playlist);
            var target = int.Parse(playlist.Single(l => l.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);
            Assert.InRange(target, 1, 6);
            var segments = FfmpegTranscoder.Segments(playlist);
            Assert.NotEmpty(segments);
            var folder = uri[..uri.LastIndexOf('/')];
            foreach (var (file, seconds) in segments)
            {
                using var segment = world.Console.Get<IMediaStorage>().OpenRead(job.OutputKey, $"{folder}/{file}");
                Assert.True(segment is { Length: > 0 }, $"segment {folder}/{file} is missing or empty");
                Assert.InRange(seconds, 0.1, 6.01);
            }
            durations.Add(segments.Sum(s => s.Seconds));
            // Aligned keyframes: every variant cuts its segments at the same instants.
            Assert.Equal(FfmpegTranscoder.Segments(Read(job.OutputKey, variants[0].Uri).Split('\n')).Select(s => s.Seconds), segments.Select(s => s.Seconds));
        }
        Assert.All(durations, d => Assert.InRange(d, clip.DurationSeconds!.Value - 0.2, clip.DurationSeconds.Value + 0.2));

        // The rows the details page lists: the master and one per rendition made, with what the files hold.
        Assert.Equal(["master", "144p", "240p"], transcoding.Derivatives.Select(d => d.Rendition));
        var hd = transcoding.Derivatives.Single(d => d.Rendition == "240p");
        Assert.Equal((320, 240), (hd.Width, hd.Height));
        Assert.True(hd.SizeBytes > 0 && hd.BitrateBps > 0);
        Assert.InRange(hd.DurationSeconds!.Value, 2.8, 3.2);

        // The application's storage figure counts the original and the derivatives.
        await using var db = await world.OpenAsync();
        var stored = await db.DailyUsage.Where(u => u.ApplicationId == world.AppId && u.Metric == UsageMetric.StorageBytes)
            .OrderByDescending(u => u.Day).Select(u => u.Value).FirstAsync();
        Assert.Equal(clip.SizeBytes + job.OutputBytes, stored);
        Assert.Equal(job.OutputBytes, StoredBytes(job.OutputKey));
    }

    [Fact]
    public async Task Mp4_output_is_one_file_per_rendition_and_running_again_replaces_the_output()
    {
        var clip = await world.ClipAsync();
        var templateId = await TemplateAsync(TranscodeFormat.Mp4, 144, 240);
        var jobs = await world.InApp<TranscodeJobs>();
        await jobs.StartAsync([clip.Id], templateId);
        await world.RunQueuedAsync();
        var first = Assert.Single(await jobs.ListForMediaAsync(clip.Id));
        Assert.Equal(["144p", "240p"], first.Derivatives.Select(d => d.Rendition));
        Assert.All(first.Derivatives, d => Assert.EndsWith(".mp4", d.Path));

        // Idempotent per media and template: the same job runs again and its new output replaces the old one.
        Assert.Equal(1, await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], templateId));
        await world.RunQueuedAsync();
        var second = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id));
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Equal(TranscodeJobState.Done, second.Job.State);
        Assert.NotEqual(first.Job.OutputKey, second.Job.OutputKey);
        Assert.Null(world.Console.Get<IMediaStorage>().OpenRead(first.Job.OutputKey!, "144p.mp4"));
        Assert.Equal(2, second.Derivatives.Count);
        Assert.Single(Directory.GetDirectories(Path.Combine(world.Console.MediaRoot, world.AppId.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task A_source_lower_than_every_rendition_fails_with_the_reason_instead_of_upscaling()
    {
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.HlsLadderId);
        await world.RunQueuedAsync();

        var job = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id)).Job;
        Assert.Equal(TranscodeJobState.Failed, job.State);
        Assert.Contains("240 pixels high", job.FailureReason);
        Assert.Contains("never upscales", job.FailureReason);
        Assert.Null(job.OutputKey);
    }

    [Fact]
    public async Task The_audio_preset_extracts_aac_and_deleting_the_media_deletes_its_derivatives_and_their_bytes()
    {
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.AudioAacId);
        await world.RunQueuedAsync();
        var done = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id));
        var audio = Assert.Single(done.Derivatives);
        Assert.Equal(DerivativeKind.Audio, audio.Kind);
        Assert.Null(audio.Height);
        Assert.InRange(audio.BitrateBps!.Value, 64_000, 200_000);

        await (await world.InApp<MediaLibrary>()).DeleteAsync(clip.Id);

        Assert.Equal(0, StoredBytes(done.Job.OutputKey!));
        await using var db = await world.OpenAsync();
        Assert.False(await db.TranscodeJobs.AnyAsync());
        Assert.False(await db.MediaDerivatives.AnyAsync());
        var stored = await db.DailyUsage.Where(u => u.ApplicationId == world.AppId && u.Metric == UsageMetric.StorageBytes)
            .OrderByDescending(u => u.Day).Select(u => u.Value).FirstAsync();
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task Moving_media_moves_its_derivatives_and_their_bytes_and_only_the_new_application_sees_them()
    {
        await world.Console.EnableSubApplicationsAsync();
        var other = (await world.Console.Get<ApplicationService>().CreateSubApplicationAsync("Elsewhere", null)).Id;
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.AudioAacId);
        await world.RunQueuedAsync();
        var before = Assert.Single(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id)).Job;

        await (await world.InApp<MediaMover>()).MoveAsync([clip.Id], other);

        Assert.Empty(await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id));
        var scope = await world.Console.InApplicationAsync(other);
        var moved = Assert.Single(await scope.GetRequiredService<TranscodeJobs>().ListForMediaAsync(clip.Id));
        Assert.StartsWith($"{other}/", moved.Job.OutputKey);
        Assert.All(moved.Derivatives, d => Assert.Equal(other, d.ApplicationId));
        var storage = world.Console.Get<IMediaStorage>();
        Assert.Null(storage.OpenRead(before.OutputKey!, "audio.m4a"));
        using (var audio = storage.OpenRead(moved.Job.OutputKey!, "audio.m4a"))
        {
            Assert.NotNull(audio);
        }
        await using var db = await world.Console.OpenDbAsync();
        long Stored(long app) => db.DailyUsage.Where(u => u.ApplicationId == app && u.Metric == UsageMetric.StorageBytes)
            .OrderByDescending(u => u.Day).Select(u => u.Value).First();
        Assert.Equal((0, clip.SizeBytes + before.OutputBytes), (Stored(world.AppId), Stored(other)));
    }

    [Fact]
    public void Hls_arguments_force_aligned_keyframes_and_segment_length_and_run_one_ffmpeg()
    {
        var plan = TranscodePlan.For(TranscodeFormat.Hls, [new(144, 300, 24, 64), new(240, 500, 30, 96)],
            new MediaProbeResult(3, 320, 240, "h264", "aac", null, 30));
        var arguments = string.Join(" ", FfmpegTranscoder.Arguments("in.mp4", new MediaProbeResult(3, 320, 240, "h264", "aac", null, 30), plan, "out"));

        Assert.Contains("-force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0", arguments);
        Assert.Contains("-hls_time 4", arguments);
        Assert.Contains("-master_pl_name master.m3u8", arguments);
        Assert.Contains("[s0]scale=-2:144,fps=24", arguments); // capped: the source has 30 fps
        Assert.Contains("[s1]scale=-2:240,format", arguments); // not capped: 30 is the cap
        Assert.Matches(VariantMap(), arguments);
    }

    private long StoredBytes(string key)
    {
        var folder = Path.Combine(world.Console.MediaRoot, key);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
    }

    [GeneratedRegex("-var_stream_map v:0,a:0,name:144p v:1,a:1,name:240p")]
    private static partial Regex VariantMap();
}
