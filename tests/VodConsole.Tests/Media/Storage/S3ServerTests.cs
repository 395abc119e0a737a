using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VodConsole.Client;
using VodConsole.Core.Media;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Media.Storage;

/// <summary>
/// The real server (Program.cs, its workers and endpoints) configured with <c>Storage:Provider=S3</c>, over real HTTP:
/// an API upload and a URL pull are processed, play with HTTP Range from the bucket, move and are deleted.
/// </summary>
public sealed class S3ServerTests : IAsyncLifetime
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-s3-server-");
    private ApiServer server = null!;
    private LocalHttpServer source = null!;
    private byte[] video = [];

    public async ValueTask InitializeAsync()
    {
        var path = await TestMedia.VideoAsync(work.FullName, "clip.mp4");
        video = await File.ReadAllBytesAsync(path);
        source = await LocalHttpServer.StartAsync(app => app.MapGet("/clip.mp4", () => Results.File(path, "video/mp4")), IPAddress.Loopback);
        var s3 = await S3TestServer.GetAsync();
        server = new ApiServer(settings: new Dictionary<string, string>(s3.Settings($"server-{Guid.NewGuid():N}/"))
        {
            ["Network:AllowPrivateTargets"] = "true", // the pull's source is on loopback
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await source.DisposeAsync();
        work.Delete(recursive: true);
    }

    [Fact]
    public async Task Uploaded_and_pulled_media_play_in_ranges_from_the_bucket_move_and_are_deleted()
    {
        var storage = server.Get<IMediaStorage>();
        Assert.IsType<S3MediaStorage>(storage);
        var from = await server.CreateApplicationAsync("S3 from");
        var to = await server.CreateApplicationAsync("S3 to");
        var key = await server.CreateKeyAsync(null);
        using var http = server.Client(key);

        var uploaded = await UploadAsync(key, from.Id);
        var pulled = await PullAsync(http, from.Id);
        foreach (var mediaId in new[] { uploaded, pulled })
        {
            var media = await WaitForNormalAsync(http, from.Id, mediaId);
            Assert.Equal((video.Length, 320, 240), (media.GetProperty("SizeBytes").GetInt64(), media.GetProperty("Width").GetInt32(), media.GetProperty("Height").GetInt32()));
            await AssertPlaysAsync(media.GetProperty("PlayPath").GetString()!);
        }

        using var moved = await http.PostAsync($"/api/v1/media/move?SubAppId={from.Id}",
            ApiResponses.Json(new { MediaIds = new[] { uploaded, pulled }, DestinationSubAppId = to.Id }));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Empty(storage.ListKeys(from.Id));
        var arrived = await (await http.GetAsync($"/api/v1/media/{uploaded}?SubAppId={to.Id}")).JsonAsync();
        await AssertPlaysAsync(arrived.GetProperty("PlayPath").GetString()!);

        foreach (var mediaId in new[] { uploaded, pulled })
        {
            using var deleted = await http.DeleteAsync($"/api/v1/media/{mediaId}?SubAppId={to.Id}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.Empty(storage.ListKeys(to.Id));
    }

    /// <summary>The whole file, then a range in the middle: 206 with exactly those bytes, served from the bucket.</summary>
    private async Task AssertPlaysAsync(string playPath)
    {
        using var player = server.PlainClient();
        Assert.Equal(video, await player.GetByteArrayAsync(playPath));
        using var request = new HttpRequestMessage(HttpMethod.Get, playPath) { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var ranged = await player.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(video[1000..2000], await ranged.Content.ReadAsByteArrayAsync());
    }

    private async Task<long> UploadAsync(TestApiKey key, long appId)
    {
        using var http = server.Client(key);
        var session = await (await http.PostAsync($"/api/v1/uploads?SubAppId={appId}", ApiResponses.Json(new { FileName = "uploaded.mp4" }))).JsonAsync();
        using var plain = server.PlainClient();
        var put = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(server.BaseUrl), session.GetProperty("UploadUrl").GetString())) { Content = new ByteArrayContent(video) };
        await new VodApiSigner(key.KeyId, key.Secret).SignAsync(put, VodApiSignature.Sha256Hex(video));
        using var sent = await plain.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var committed = await (await http.PostAsync(session.GetProperty("CommitUrl").GetString(), null)).JsonAsync();
        return committed.GetProperty("MediaId").GetInt64();
    }

    private async Task<long> PullAsync(HttpClient http, long appId)
    {
        var queued = await (await http.PostAsync($"/api/v1/pulls?SubAppId={appId}", ApiResponses.Json(new { Urls = new[] { source.Url("/clip.mp4") } }))).JsonAsync();
        var pullId = queued.GetProperty("Pulls")[0].GetProperty("PullId").GetInt64();
        var pull = await WaitForAsync(http, $"/api/v1/pulls?SubAppId={appId}", json =>
            json.GetProperty("Pulls").EnumerateArray().SingleOrDefault(p => p.GetProperty("PullId").GetInt64() == pullId) is { ValueKind: JsonValueKind.Object } p
            && p.GetProperty("MediaId").ValueKind == JsonValueKind.Number, $"pull {pullId} to make media");
        return pull.GetProperty("Pulls").EnumerateArray().Single(p => p.GetProperty("PullId").GetInt64() == pullId).GetProperty("MediaId").GetInt64();
    }

    private Task<JsonElement> WaitForNormalAsync(HttpClient http, long appId, long mediaId) =>
        WaitForAsync(http, $"/api/v1/media/{mediaId}?SubAppId={appId}", json => json.GetProperty("Status").GetString() switch
        {
            "Normal" => true,
            "Failed" => throw new Xunit.Sdk.XunitException("Processing failed: " + json.GetProperty("FailureReason").GetString()),
            _ => false,
        }, $"media {mediaId} to be processed");

    /// <summary>Polls until the answer satisfies the condition (the workers run on their own), or fails after 60 s.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient http, string path, Func<JsonElement, bool> done, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var json = await (await http.GetAsync(path)).JsonAsync();
            if (done(json))
            {
                return json;
            }
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}: {json}");
            await Task.Delay(100);
        }
    }
}
