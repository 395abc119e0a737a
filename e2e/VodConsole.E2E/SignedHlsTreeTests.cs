using System.Net;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Transcoding;

namespace VodConsole.E2E;

/// <summary>
/// Signed playback of a whole HLS tree over real HTTP (decision 0014): one signed prefix authorises the master playlist,
/// its variants and segments; an unsigned, expired, tampered or foreign prefix gets 403 on every file.
/// </summary>
public sealed class SignedHlsTreeTests(OwnConsole ownConsole) : IDisposable, IClassFixture<OwnConsole>
{
    private const string Key = "TreeKey2026abc";
    private static readonly string[] Files = ["master.m3u8", "240p/index.m3u8", "240p/segment_000.ts"];
    private readonly ConsoleServer server = ownConsole.Server;
    private readonly HttpClient http = new() { BaseAddress = new Uri(ownConsole.Server.BaseUrl) };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task One_signed_prefix_serves_the_master_playlist_its_variant_and_its_segments()
    {
        var (app, media, job) = await SignedTreeAsync("Tree");
        var prefix = TreeSigning.SignedDirectory(Key, app, media, job, DateTimeOffset.UtcNow.AddMinutes(5));

        foreach (var file in Files)
        {
            using var response = await http.GetAsync(prefix + file, TestContext.Current.CancellationToken);
            Assert.Equal((HttpStatusCode.OK, file), (response.StatusCode, file));
        }
        var master = await http.GetStringAsync(prefix + "master.m3u8", TestContext.Current.CancellationToken);
        Assert.Contains("240p/index.m3u8", master); // relative: resolved under the same signed prefix
    }

    [Fact]
    public async Task Unsigned_expired_tampered_and_other_job_prefixes_get_403_on_every_file()
    {
        var (app, media, job) = await SignedTreeAsync("Tree refused");
        var valid = TreeSigning.SignedDirectory(Key, app, media, job, DateTimeOffset.UtcNow.AddMinutes(5));
        var sign = valid.TrimEnd('/')[(valid.TrimEnd('/').LastIndexOf('/') + 1)..];
        var prefixes = new Dictionary<string, string>
        {
            ["unsigned"] = TreeSigning.DirectoryOf(app, media, job),
            ["expired"] = TreeSigning.SignedDirectory(Key, app, media, job, DateTimeOffset.UtcNow.AddMinutes(-1)),
            ["tampered"] = valid.Replace(sign, (sign[0] == 'a' ? 'b' : 'a') + sign[1..], StringComparison.Ordinal),
            ["other key"] = TreeSigning.SignedDirectory("OtherKey2026xyz", app, media, job, DateTimeOffset.UtcNow.AddMinutes(5)),
            ["another job's signature"] = TreeSigning.SignedDirectory(Key, app, media, job + 1000, DateTimeOffset.UtcNow.AddMinutes(5))
                .Replace($"/outputs/{job + 1000}/", $"/outputs/{job}/", StringComparison.Ordinal),
        };

        foreach (var (name, prefix) in prefixes)
        {
            foreach (var file in Files)
            {
                using var response = await http.GetAsync(prefix + file, TestContext.Current.CancellationToken);
                Assert.Equal((HttpStatusCode.Forbidden, name, file), (response.StatusCode, name, file));
            }
        }
        // A valid prefix does not let a path leave its tree.
        using var escape = await http.GetAsync(valid + "240p/..%2F..%2F..%2Fmaster.m3u8", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
    }

    [Fact]
    public async Task Another_applications_prefix_does_not_reach_the_tree()
    {
        var (app, media, job) = await SignedTreeAsync("Tree owner");
        var (otherApp, otherMedia, otherJob) = await SignedTreeAsync("Tree other");
        var expiry = DateTimeOffset.UtcNow.AddMinutes(5);

        // The job under another application's ID is not found there, however it is signed.
        using var moved = await http.GetAsync(TreeSigning.SignedDirectory(Key, otherApp, media, job, expiry) + "master.m3u8", TestContext.Current.CancellationToken);
        // Another application's valid signature, put on this tree's path, is refused.
        var foreign = TreeSigning.SignedDirectory(Key, otherApp, otherMedia, otherJob, expiry)
            .Replace($"/play/{otherApp}/{otherMedia}/outputs/{otherJob}/", TreeSigning.DirectoryOf(app, media, job), StringComparison.Ordinal);
        using var grafted = await http.GetAsync(foreign + "master.m3u8", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, moved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, grafted.StatusCode);
    }

    [Fact]
    public async Task A_disabled_applications_tree_gets_403_even_with_a_valid_signature()
    {
        var (app, media, job) = await SignedTreeAsync("Tree disabled");
        var prefix = TreeSigning.SignedDirectory(Key, app, media, job, DateTimeOffset.UtcNow.AddMinutes(5));
        var application = await server.Get<ApplicationService>().FindAsync(app, TestContext.Current.CancellationToken);
        await server.Get<ApplicationService>().SetStatusAsync(app, ApplicationStatus.Disabled, application!.Version, TestContext.Current.CancellationToken);

        foreach (var file in Files)
        {
            using var response = await http.GetAsync(prefix + file, TestContext.Current.CancellationToken);
            Assert.Equal((HttpStatusCode.Forbidden, file), (response.StatusCode, file));
        }
    }

    /// <summary>
    /// An application that signs with <see cref="Key"/>, with a media item and a Done HLS job whose stored tree holds a
    /// master playlist, a variant and a segment (hand-made: the signature, not ffmpeg, is under test here).
    /// </summary>
    private async Task<(long App, long Media, long Job)> SignedTreeAsync(string prefix)
    {
        var ct = TestContext.Current.CancellationToken;
        var app = await server.CreateSubApplicationAsync(prefix);
        await server.Get<PlaybackSettingsService>().SaveForAsync(app.Id, signingEnabled: true, Key, ct);

        var source = Directory.CreateTempSubdirectory("vodconsole-e2e-tree-");
        try
        {
            Directory.CreateDirectory(Path.Combine(source.FullName, "240p"));
            await File.WriteAllTextAsync(Path.Combine(source.FullName, "master.m3u8"),
                "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=464000,RESOLUTION=320x240\n240p/index.m3u8\n", ct);
            await File.WriteAllTextAsync(Path.Combine(source.FullName, "240p", "index.m3u8"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:3.0,\nsegment_000.ts\n#EXT-X-ENDLIST\n", ct);
            await File.WriteAllBytesAsync(Path.Combine(source.FullName, "240p", "segment_000.ts"), new byte[188 * 4], ct);
            var storage = server.Get<IMediaStorage>();
            var original = await storage.SaveAsync(app.Id, new MemoryStream([0, 0, 0, 0x20]), ct);
            var tree = await storage.SaveTreeAsync(app.Id, source.FullName, ct);

            await using var db = await server.Get<ApplicationData>().OpenForAsync(app.Id, ct);
            var media = new MediaItem
            {
                ApplicationId = app.Id, Title = "Clip", OriginalFileName = "clip.mp4", ContentType = "video/mp4",
                SizeBytes = 4, StorageKey = original, Status = MediaStatus.Normal, CreatedAt = DateTime.UtcNow,
            };
            db.Media.Add(media);
            await db.SaveChangesAsync(ct);
            var job = new TranscodeJob
            {
                ApplicationId = app.Id, MediaId = media.Id, TemplateId = -1, TemplateName = "HLS", Format = TranscodeFormat.Hls,
                State = TranscodeJobState.Done, CreatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow, OutputKey = tree,
            };
            db.TranscodeJobs.Add(job);
            await db.SaveChangesAsync(ct);
            return (app.Id, media.Id, job.Id);
        }
        finally
        {
            source.Delete(recursive: true);
        }
    }
}
