using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Usage;

namespace VodConsole.E2E;

/// <summary>The playback domain against the real server, as a player (anonymous HTTP) sees it.</summary>
public sealed class PlaybackEndpointTests(OwnConsole own) : IDisposable, IClassFixture<OwnConsole>
{
    private const string Key = "PlayKey2026abc";
    private readonly ConsoleServer server = own.Server;
    private readonly HttpClient http = new() { BaseAddress = new Uri(own.Server.BaseUrl) };

    [Fact]
    public async Task A_media_file_plays_in_full_and_counts_traffic_and_a_play()
    {
        var app = await server.CreateSubApplicationAsync("Play");
        var content = Content(5000);
        var media = await AddMediaAsync(app.Id, content);

        using var response = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 5000);
        await ExpectTodayAsync(app.Id, UsageMetric.Plays, 1);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body_and_counts_neither_a_play_nor_traffic()
    {
        var app = await server.CreateSubApplicationAsync("Head");
        var media = await AddMediaAsync(app.Id, Content(3000));
        var disabledApp = await server.CreateSubApplicationAsync("Head disabled");
        var hidden = await AddMediaAsync(disabledApp.Id, Content(10));
        await server.Get<ApplicationService>().SetStatusAsync(disabledApp.Id, ApplicationStatus.Disabled, disabledApp.Version, TestContext.Current.CancellationToken);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, PlayPath(app.Id, media.Id)), TestContext.Current.CancellationToken);
        var ranged = new HttpRequestMessage(HttpMethod.Head, PlayPath(app.Id, media.Id)) { Headers = { Range = new RangeHeaderValue(0, 99) } };
        using var headRange = await http.SendAsync(ranged, TestContext.Current.CancellationToken);
        using var headMissing = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, PlayPath(app.Id, hidden.Id)), TestContext.Current.CancellationToken);
        using var headDisabled = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, PlayPath(disabledApp.Id, hidden.Id)), TestContext.Current.CancellationToken);
        using var get = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(3000, head.Content.Headers.ContentLength);
        Assert.Equal("video/mp4", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(head.Headers.AcceptRanges));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal((HttpStatusCode.PartialContent, "bytes 0-99/3000"), (headRange.StatusCode, headRange.Content.Headers.ContentRange?.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, headMissing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, headDisabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        // Once the GET's figures are in, the HEADs before it added nothing of their own.
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 3000);
        await ExpectTodayAsync(app.Id, UsageMetric.Plays, 1);
    }

    [Fact]
    public async Task A_player_that_stops_early_is_charged_only_for_what_was_delivered()
    {
        var app = await server.CreateSubApplicationAsync("Abort");
        var size = 64 * 1024 * 1024;
        var media = await AddMediaAsync(app.Id, Content(size));

        // A player on a raw socket: it reads 64 KB, then resets the connection. Its receive buffer is fixed and small: left
        // to itself, Linux grows it up to tcp_rmem's maximum (32 MB here), and the server could write half the file into
        // the kernel's buffers before the reset arrives.
        var baseUri = new Uri(server.BaseUrl);
        using (var player = new TcpClient { ReceiveBufferSize = 64 * 1024 })
        {
            await player.ConnectAsync(baseUri.Host, baseUri.Port, TestContext.Current.CancellationToken);
            var stream = player.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {PlayPath(app.Id, media.Id)} HTTP/1.1\r\nHost: {baseUri.Authority}\r\n\r\n"), TestContext.Current.CancellationToken);
            await stream.ReadExactlyAsync(new byte[64 * 1024], TestContext.Current.CancellationToken);
            player.Client.LingerState = new LingerOption(true, 0);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await TodayAsync(app.Id, UsageMetric.TrafficBytes) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        var traffic = await TodayAsync(app.Id, UsageMetric.TrafficBytes);
        Assert.True(traffic >= 64 * 1024 && traffic <= size / 2, $"traffic {traffic}");
        Assert.True(await TodayAsync(app.Id, UsageMetric.PeakBandwidthBps) > 0);
    }

    [Fact]
    public async Task A_range_request_gets_206_with_those_bytes_and_adds_only_them_to_traffic_without_a_new_play()
    {
        var app = await server.CreateSubApplicationAsync("Range");
        var content = Content(4096);
        var media = await AddMediaAsync(app.Id, content);
        using var request = new HttpRequestMessage(HttpMethod.Get, PlayPath(app.Id, media.Id));
        request.Headers.Range = new RangeHeaderValue(1000, 1999);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-1999/4096", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[1000..2000], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 1000);
        await ExpectTodayAsync(app.Id, UsageMetric.Plays, 0);
    }

    [Fact]
    public async Task The_playback_domain_answers_with_the_security_headers_and_bare_status_codes()
    {
        var app = await server.CreateSubApplicationAsync("Domain");
        var media = await AddMediaAsync(app.Id, Content(100));

        using var file = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);
        using var unknownPath = await http.GetAsync($"/play/{app.Id}/not-a-media-id", TestContext.Current.CancellationToken);
        using var unknownOutput = await http.GetAsync($"/play/{app.Id}/{media.Id}/outputs/1/master.m3u8", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var policy = string.Join("", file.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy); // no inline script can run in a file, so no nonce is made for it
        Assert.Contains("media-src 'self'", policy); // a browser that opens the file shows it in a page of its own
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", Assert.Single(file.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(file.Headers.GetValues("Referrer-Policy")));
        // Players get bare status codes, never the console's HTML "Not found" page.
        foreach (var missing in new[] { unknownPath, unknownOutput })
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Empty(await missing.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Another_applications_media_id_under_this_application_is_not_found()
    {
        var app = await server.CreateSubApplicationAsync("Own");
        var neighbour = await server.CreateSubApplicationAsync("Other");
        var theirs = await AddMediaAsync(neighbour.Id, Content(100));

        using var crossed = await http.GetAsync(PlayPath(app.Id, theirs.Id), TestContext.Current.CancellationToken);
        using var unknownApp = await http.GetAsync(PlayPath(app.Id + 987_654_321, theirs.Id), TestContext.Current.CancellationToken);
        using var own = await http.GetAsync(PlayPath(neighbour.Id, theirs.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownApp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 0);
    }

    [Fact]
    public async Task Media_that_is_not_normal_is_not_found()
    {
        var app = await server.CreateSubApplicationAsync("Processing");
        var media = await AddMediaAsync(app.Id, Content(100), MediaStatus.Processing);

        using var response = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_disabled_application_answers_403_and_plays_again_when_enabled()
    {
        var app = await server.CreateSubApplicationAsync("Disabled");
        var media = await AddMediaAsync(app.Id, Content(100));
        var applications = server.Get<ApplicationService>();
        var disabled = await applications.SetStatusAsync(app.Id, ApplicationStatus.Disabled, app.Version, TestContext.Current.CancellationToken);

        using var whileDisabled = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);
        await applications.SetStatusAsync(app.Id, ApplicationStatus.Enabled, disabled.Version, TestContext.Current.CancellationToken);
        using var enabledAgain = await http.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, whileDisabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabledAgain.StatusCode);
    }

    [Fact]
    public async Task A_range_from_the_first_byte_counts_as_a_play()
    {
        var app = await server.CreateSubApplicationAsync("FirstByte");
        var media = await AddMediaAsync(app.Id, Content(2048));
        using var request = new HttpRequestMessage(HttpMethod.Get, PlayPath(app.Id, media.Id));
        request.Headers.Range = new RangeHeaderValue(0, null);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 2048);
        await ExpectTodayAsync(app.Id, UsageMetric.Plays, 1);
    }

    [Fact]
    public async Task Probes_of_the_first_byte_are_not_plays_until_a_meaningful_amount_is_delivered()
    {
        var app = await server.CreateSubApplicationAsync("Probe");
        var media = await AddMediaAsync(app.Id, Content(3 * 1024 * 1024));
        for (var i = 0; i < 3; i++)
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, PlayPath(app.Id, media.Id));
            probe.Headers.Range = new RangeHeaderValue(0, 0);
            using var probed = await http.SendAsync(probe, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.PartialContent, probed.StatusCode);
        }
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 3);
        Assert.Equal(0, await TodayAsync(app.Id, UsageMetric.Plays));

        // One byte short of the meaningful amount is still no play; the amount itself is one.
        foreach (var last in new[] { PlayRule.MeaningfulBytes - 2, PlayRule.MeaningfulBytes - 1 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, PlayPath(app.Id, media.Id));
            request.Headers.Range = new RangeHeaderValue(0, last);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        }
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 3 + 2 * PlayRule.MeaningfulBytes - 1);
        await ExpectTodayAsync(app.Id, UsageMetric.Plays, 1);
    }

    [Fact]
    public async Task A_suspended_account_answers_403_on_every_application_until_resumed()
    {
        // Suspension is account-wide, so this test has a server of its own.
        await using var own = ConsoleServer.Start();
        await own.EnableSubApplicationsAsync();
        var app = await own.CreateSubApplicationAsync("Suspended");
        var media = await AddMediaAsync(app.Id, Content(100), server: own);
        using var client = new HttpClient { BaseAddress = new Uri(own.BaseUrl) };
        var accounts = own.Get<AccountService>();

        await accounts.SuspendAsync(TestContext.Current.CancellationToken);
        using var whileSuspended = await client.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);
        await accounts.ResumeAsync(TestContext.Current.CancellationToken);
        using var resumed = await client.GetAsync(PlayPath(app.Id, media.Id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, whileSuspended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
    }

    [Fact]
    public async Task With_signing_on_only_a_valid_unexpired_signature_plays()
    {
        var app = await server.CreateSubApplicationAsync("Signed");
        var media = await AddMediaAsync(app.Id, Content(300));
        await server.Get<PlaybackSettingsService>().SaveForAsync(app.Id, signingEnabled: true, Key, TestContext.Current.CancellationToken);
        var path = PlaybackSettingsService.PlayPath(app.Id, media.Id);
        var (t, sign) = UrlSigning.Sign(Key, path, DateTimeOffset.UtcNow.AddMinutes(5));
        var (expiredT, expiredSign) = UrlSigning.Sign(Key, path, DateTimeOffset.UtcNow.AddMinutes(-1));
        var (_, otherKeySign) = UrlSigning.Sign("SomeOtherKey1", path, DateTimeOffset.UtcNow.AddMinutes(5));

        using var unsigned = await http.GetAsync(path, TestContext.Current.CancellationToken);
        using var signed = await http.GetAsync($"{path}?t={t}&sign={sign}", TestContext.Current.CancellationToken);
        using var expired = await http.GetAsync($"{path}?t={expiredT}&sign={expiredSign}", TestContext.Current.CancellationToken);
        using var wrongKey = await http.GetAsync($"{path}?t={t}&sign={otherKeySign}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        await ExpectTodayAsync(app.Id, UsageMetric.TrafficBytes, 300);
    }

    [Fact]
    public async Task The_signing_key_is_stored_encrypted()
    {
        var app = await server.CreateSubApplicationAsync("Encrypted");
        await server.Get<PlaybackSettingsService>().SaveForAsync(app.Id, signingEnabled: true, Key, TestContext.Current.CancellationToken);

        await using var db = await server.Get<ApplicationData>().OpenForAsync(app.Id, TestContext.Current.CancellationToken);
        var row = await db.PlaybackSettings.SingleAsync(TestContext.Current.CancellationToken);

        Assert.True(row.SigningEnabled);
        Assert.DoesNotContain(Key, row.ProtectedSigningKey);
        Assert.Equal(Key, (await server.Get<PlaybackSettingsService>().GetForAsync(app.Id, TestContext.Current.CancellationToken)).SigningKey);
    }

    private static string PlayPath(long appId, long mediaId) => PlaybackSettingsService.PlayPath(appId, mediaId);

    private static byte[] Content(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251)).ToArray();

    private async Task<MediaItem> AddMediaAsync(
        long appId, byte[] content, MediaStatus status = MediaStatus.Normal, ConsoleServer? server = null)
    {
        server ??= this.server;
        var key = await server.Get<IMediaStorage>().SaveAsync(appId, new MemoryStream(content), TestContext.Current.CancellationToken);
        var media = new MediaItem
        {
            ApplicationId = appId, Title = "Clip", OriginalFileName = "clip.mp4", ContentType = "video/mp4",
            SizeBytes = content.Length, StorageKey = key, Status = status, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId, TestContext.Current.CancellationToken);
        db.Media.Add(media);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return media;
    }

    /// <summary>
    /// Waits for today's figure to reach the expected value: traffic is recorded as the response is written, so its
    /// last piece may land just after the client has read the body.
    /// </summary>
    private async Task ExpectTodayAsync(long appId, UsageMetric metric, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var actual = await TodayAsync(appId, metric);
        while (actual != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            actual = await TodayAsync(appId, metric);
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>Today's figure, with what the playback endpoints counted written first (they write in batches).</summary>
    private async Task<long> TodayAsync(long appId, UsageMetric metric)
    {
        await server.Get<PlaybackMeter>().FlushAsync(TestContext.Current.CancellationToken);
        var today = server.Get<UsageRecorder>().Today;
        await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.DailyUsage.Where(u => u.ApplicationId == appId && u.Metric == metric && u.Day == today)
            .Select(u => u.Value).SingleOrDefaultAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose() => http.Dispose();
}
