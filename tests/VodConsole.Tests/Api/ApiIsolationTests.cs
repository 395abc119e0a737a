using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;
using VodConsole.Web.Api;

namespace VodConsole.Tests.Api;

/// <summary>
/// A key of application A can never read, list, count or change anything of application B, through any operation;
/// a read-only key changes nothing. The operations are taken from the running server's endpoints, so a new endpoint
/// without a rule here fails <see cref="Every_api_endpoint_has_a_rule_here_and_declares_the_access_it_needs"/>.
/// </summary>
public sealed class ApiIsolationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    /// <summary>One application's things that an operation can name: the application, a media item, an upload, a transcoding template.</summary>
    private sealed record Side(long AppId, long MediaId, string UploadId, long TemplateId);

    private sealed record Call(HttpMethod Method, string Path, object? Json = null, byte[]? Bytes = null);

    /// <summary>
    /// How to call an operation on a side (its application as SubAppId, its IDs in the path and body), and what it must
    /// answer when called with A's SubAppId but B's IDs (null: it names nothing of B's, the SubAppId check covers it).
    /// </summary>
    private sealed record Rule(ApiAccess Access, Func<Side, Call> On, Func<HttpResponseMessage, World, Task>? CrossCheck = null);

    private sealed record World(Side A, Side B, string SecretTitle, string SecretUrl, long SecretTraffic);

    private static string Q(Side s) => $"?SubAppId={s.AppId}";

    private static Func<HttpResponseMessage, World, Task> Refused(HttpStatusCode status, string code) => async (response, _) =>
        Assert.Equal((status, code), (response.StatusCode, await response.ErrorCodeAsync()));

    /// <summary>A 200 answer that shows nothing of B: not its media, uploads, pulls or usage.</summary>
    private static async Task ShowsNothingOfB(HttpResponseMessage response, World world)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(world.SecretTitle, body);
        Assert.DoesNotContain(world.SecretUrl, body);
        Assert.DoesNotContain(world.SecretTraffic.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
        Assert.DoesNotContain($"\"MediaId\":{world.B.MediaId},", body);
        Assert.DoesNotContain(world.B.UploadId, body);
        Assert.DoesNotContain($"\"TemplateId\":{world.B.TemplateId},", body);
    }

    private static object Template(string name) =>
        new { Name = name, Format = "Hls", Renditions = new[] { new { Height = 360, VideoBitrateKbps = 800, MaxFrameRate = 30, AudioBitrateKbps = 96 } } };

    /// <summary>A document applying review mode Off: valid for any application, so only the access rules decide.</summary>
    private static object ConfigurationBody() => new
    {
        Document = new
        {
            schemaVersion = 1, application = new { id = 1, name = "Template" }, exportedAt = DateTime.UtcNow,
            playback = new { playbackPath = "/play/1", signingEnabled = false },
            callbacks = new { mode = "Off", url = (string?)null, events = Array.Empty<string>() },
            transcoding = new { templates = Array.Empty<object>(), defaultProcessing = (string?)null },
            review = new { mode = "Off" }, categories = Array.Empty<string>(),
        },
        Sections = new[] { "Review" },
    };

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["GET /api/v1/applications/"] = new(ApiAccess.Account, s => new(HttpMethod.Get, "/api/v1/applications")),
        ["GET /api/v1/applications/{subAppId:long}"] = new(ApiAccess.Account, s => new(HttpMethod.Get, $"/api/v1/applications/{s.AppId}")),
        ["GET /api/v1/media/"] = new(ApiAccess.Read, s => new(HttpMethod.Get, "/api/v1/media" + Q(s) + "&Limit=100"), ShowsNothingOfB),
        // Across applications: B's secret is found only where B is searched, which a key of A cannot ask for.
        ["GET /api/v1/media/search"] = new(ApiAccess.Applications, s => new(HttpMethod.Get, $"/api/v1/media/search?Text=secret&SubAppIds={s.AppId}&Limit=100"),
            ShowsNothingOfB),
        ["GET /api/v1/media/{mediaId:long}"] = new(ApiAccess.Read, s => new(HttpMethod.Get, $"/api/v1/media/{s.MediaId}{Q(s)}"),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["POST /api/v1/media/batch-get"] = new(ApiAccess.Read, s => new(HttpMethod.Post, "/api/v1/media/batch-get" + Q(s), new { MediaIds = new[] { s.MediaId } }),
            async (response, world) =>
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var json = await response.JsonAsync();
                Assert.Empty(json.GetProperty("Media").EnumerateArray());
                Assert.Equal([world.B.MediaId], json.GetProperty("NonExistMediaIds").EnumerateArray().Select(e => e.GetInt64()));
            }),
        ["PATCH /api/v1/media/{mediaId:long}"] = new(ApiAccess.Change, s => new(HttpMethod.Patch, $"/api/v1/media/{s.MediaId}{Q(s)}", new { Title = "Changed by a key" }),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["DELETE /api/v1/media/{mediaId:long}"] = new(ApiAccess.Change, s => new(HttpMethod.Delete, $"/api/v1/media/{s.MediaId}{Q(s)}"),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        // Moving B's media (into A's application), and moving A's media into B's, are both "not found".
        ["POST /api/v1/media/move"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/media/move" + Q(s), new { MediaIds = new[] { s.MediaId }, DestinationSubAppId = s.AppId + 0 }),
            Refused(HttpStatusCode.BadRequest, "InvalidParameter.DestinationSubAppId")),
        ["POST /api/v1/uploads/"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/uploads" + Q(s), new { FileName = "new.mp4" })),
        ["PUT /api/v1/uploads/{uploadId}"] = new(ApiAccess.Change, s => new(HttpMethod.Put, $"/api/v1/uploads/{s.UploadId}{Q(s)}", Bytes: TestFiles.Mp4Head),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Upload")),
        ["POST /api/v1/uploads/{uploadId}/commit"] = new(ApiAccess.Change, s => new(HttpMethod.Post, $"/api/v1/uploads/{s.UploadId}/commit{Q(s)}"),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Upload")),
        ["POST /api/v1/pulls/"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/pulls" + Q(s), new { Urls = new[] { "https://media.example.com/new.mp4" } })),
        ["GET /api/v1/pulls/"] = new(ApiAccess.Read, s => new(HttpMethod.Get, "/api/v1/pulls" + Q(s)), ShowsNothingOfB),
        ["GET /api/v1/callbacks/events/"] = new(ApiAccess.Read, s => new(HttpMethod.Get, "/api/v1/callbacks/events" + Q(s)), ShowsNothingOfB),
        ["POST /api/v1/callbacks/events/ack"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/callbacks/events/ack" + Q(s), new { EventIds = new[] { s.MediaId } })),
        ["GET /api/v1/transcode-templates/"] = new(ApiAccess.Read, s => new(HttpMethod.Get, "/api/v1/transcode-templates" + Q(s)), ShowsNothingOfB),
        ["POST /api/v1/transcode-templates/"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/transcode-templates" + Q(s), Template("New by a key"))),
        ["PUT /api/v1/transcode-templates/{templateId:long}"] = new(ApiAccess.Change,
            s => new(HttpMethod.Put, $"/api/v1/transcode-templates/{s.TemplateId}{Q(s)}", Template("Changed by a key")),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.TranscodeTemplate")),
        ["DELETE /api/v1/transcode-templates/{templateId:long}"] = new(ApiAccess.Change,
            s => new(HttpMethod.Delete, $"/api/v1/transcode-templates/{s.TemplateId}{Q(s)}"),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.TranscodeTemplate")),
        ["GET /api/v1/media/{mediaId:long}/transcode-jobs/"] = new(ApiAccess.Read,
            s => new(HttpMethod.Get, $"/api/v1/media/{s.MediaId}/transcode-jobs{Q(s)}"),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["POST /api/v1/media/{mediaId:long}/transcode-jobs/"] = new(ApiAccess.Change,
            s => new(HttpMethod.Post, $"/api/v1/media/{s.MediaId}/transcode-jobs{Q(s)}", new { s.TemplateId }),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["POST /api/v1/media/{mediaId:long}/approve"] = new(ApiAccess.Change, s => new(HttpMethod.Post, $"/api/v1/media/{s.MediaId}/approve{Q(s)}", new { }),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["POST /api/v1/media/{mediaId:long}/block"] = new(ApiAccess.Change, s => new(HttpMethod.Post, $"/api/v1/media/{s.MediaId}/block{Q(s)}", new { Reason = "Blocked by a key" }),
            Refused(HttpStatusCode.NotFound, "ResourceNotFound.Media")),
        ["GET /api/v1/configuration/"] = new(ApiAccess.Read, s => new(HttpMethod.Get, "/api/v1/configuration" + Q(s)), ShowsNothingOfB),
        ["POST /api/v1/configuration/preview"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/configuration/preview" + Q(s), ConfigurationBody())),
        ["POST /api/v1/configuration/apply"] = new(ApiAccess.Change, s => new(HttpMethod.Post, "/api/v1/configuration/apply" + Q(s), ConfigurationBody())),
        ["GET /api/v1/statistics"] = new(ApiAccess.Read, s => new(HttpMethod.Get, $"/api/v1/statistics{Q(s)}&Metric=TrafficBytes&From={Today():yyyy-MM-dd}&To={Today():yyyy-MM-dd}"),
            ShowsNothingOfB),
    };

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);

    private IReadOnlyDictionary<string, ApiOperation?> ApiEndpoints() =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (Key: $"{method} {e.RoutePattern.RawText}", Rule: e.Metadata.GetMetadata<ApiOperation>())))
            .ToDictionary(e => e.Key, e => e.Rule);

    [Fact]
    public void Every_api_endpoint_has_a_rule_here_and_declares_the_access_it_needs()
    {
        var endpoints = ApiEndpoints();

        Assert.Equal(Rules.Keys.Order(), endpoints.Keys.Order());
        Assert.All(endpoints, e => Assert.Equal(Rules[e.Key].Access, e.Value?.Access));
        // Changing verbs are never marked as reads (batch-get is the one POST that reads, on purpose).
        Assert.All(endpoints.Where(e => e.Key.Split(' ')[0] is "PUT" or "PATCH" or "DELETE"), e => Assert.Equal(ApiAccess.Change, e.Value?.Access));
    }

    [Fact]
    public async Task A_key_of_one_application_reaches_nothing_of_another_through_any_operation()
    {
        var world = await BuildWorldAsync();
        var keyA = await server.CreateKeyAsync(world.A.AppId);
        var before = await SnapshotAsync(world.B.AppId);

        foreach (var (operation, rule) in Rules)
        {
            // B named as the application: "not found", exactly like an application that does not exist.
            using var named = await SendAsync(keyA, rule.On(world.B));
            var expected = rule.Access switch
            {
                ApiAccess.Account => (HttpStatusCode.Forbidden, ApiErrors.AccountKeyOnly),
                ApiAccess.Applications => (HttpStatusCode.NotFound, "ResourceNotFound.SubAppIds"),
                _ => (HttpStatusCode.NotFound, "ResourceNotFound.SubAppId"),
            };
            Assert.True(expected == (named.StatusCode, await named.ErrorCodeAsync()), $"{operation} with SubAppId of B: {(int)named.StatusCode} {await named.Content.ReadAsStringAsync()}");

            // A named as the application, B's IDs in the request.
            if (rule.CrossCheck is { } check)
            {
                using var crossed = await SendAsync(keyA, rule.On(world.A with { MediaId = world.B.MediaId, UploadId = world.B.UploadId, TemplateId = world.B.TemplateId }));
                await check(crossed, world);
            }
        }

        Assert.Equal(before, await SnapshotAsync(world.B.AppId));
    }

    [Fact]
    public async Task A_search_across_applications_finds_only_what_the_key_may_use_and_pages_through_it()
    {
        var world = await BuildWorldAsync();
        var word = $"shared{Guid.NewGuid():N}"[..20];
        var inA = await server.AddMediaAsync(world.A.AppId, $"A {word}");
        var inB = await server.AddMediaAsync(world.B.AppId, $"B {word}");
        var keyA = await server.CreateKeyAsync(world.A.AppId, ApplicationAccess.ReadOnly);
        var accountKey = await server.CreateKeyAsync(null);

        // An account key: every application, each hit naming its own; a key of A: A alone, whatever it asks.
        var all = await SearchAsync(accountKey, $"Text={word}");
        Assert.Equal(new[] { (inA.Id, world.A.AppId), (inB.Id, world.B.AppId) }.Order(), all.Order());
        Assert.Equal([(inA.Id, world.A.AppId)], await SearchAsync(keyA, $"Text={word}"));
        Assert.Equal([(inB.Id, world.B.AppId)], await SearchAsync(accountKey, $"Text={word}&SubAppIds={world.B.AppId}"));
        foreach (var (query, status, code) in new[]
        {
            ($"SubAppIds={world.A.AppId},{world.B.AppId}", HttpStatusCode.NotFound, "ResourceNotFound.SubAppIds"),
            ("SubAppIds=1", HttpStatusCode.NotFound, "ResourceNotFound.SubAppIds"),
            ($"SubAppId={world.A.AppId}", HttpStatusCode.BadRequest, "InvalidParameter.SubAppId"),
            ("SubAppIds=,", HttpStatusCode.BadRequest, "InvalidParameter.SubAppIds"),
        })
        {
            using var refused = await SendAsync(keyA, new(HttpMethod.Get, $"/api/v1/media/search?Text={word}&{query}"));
            Assert.Equal((status, code), (refused.StatusCode, await refused.ErrorCodeAsync()));
        }
        using var noWords = await SendAsync(accountKey, new(HttpMethod.Get, "/api/v1/media/search?Text=%21"));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Text"), (noWords.StatusCode, await noWords.ErrorCodeAsync()));

        // One item a page: each hit once, then no token.
        var paged = new List<long>();
        string? token = null;
        do
        {
            using var response = await SendAsync(accountKey, new(HttpMethod.Get,
                $"/api/v1/media/search?Text={word}&Limit=1" + (token is null ? "" : $"&ContinuationToken={token}")));
            var json = await response.JsonAsync();
            paged.AddRange(json.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("MediaId").GetInt64()));
            token = json.GetProperty("ContinuationToken").GetString();
        }
        while (token is not null);
        Assert.Equal(new[] { inA.Id, inB.Id }.Order(), paged.Order());
    }

    private async Task<List<(long MediaId, long SubAppId)>> SearchAsync(TestApiKey key, string query)
    {
        using var response = await SendAsync(key, new(HttpMethod.Get, "/api/v1/media/search?" + query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("Media").EnumerateArray()
            .Select(m => (m.GetProperty("MediaId").GetInt64(), m.GetProperty("SubAppId").GetInt64()))];
    }

    [Fact]
    public async Task A_key_of_one_application_cannot_move_its_media_into_another()
    {
        var world = await BuildWorldAsync();
        var keyA = await server.CreateKeyAsync(world.A.AppId);
        var before = await SnapshotAsync(world.B.AppId);

        using var response = await SendAsync(keyA, new(HttpMethod.Post, "/api/v1/media/move" + Q(world.A),
            new { MediaIds = new[] { world.A.MediaId }, DestinationSubAppId = world.B.AppId }));

        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.DestinationSubAppId"), (response.StatusCode, await response.ErrorCodeAsync()));
        Assert.Equal(before, await SnapshotAsync(world.B.AppId));
    }

    [Fact]
    public async Task A_read_only_key_is_refused_every_changing_operation_and_changes_nothing()
    {
        var world = await BuildWorldAsync();
        var readOnly = await server.CreateKeyAsync(world.A.AppId, ApplicationAccess.ReadOnly);
        var before = await SnapshotAsync(world.A.AppId);

        foreach (var (operation, rule) in Rules)
        {
            using var response = await SendAsync(readOnly, rule.On(world.A));
            var code = await response.ErrorCodeAsync();
            switch (rule.Access)
            {
                case ApiAccess.Change:
                    Assert.True((HttpStatusCode.Forbidden, ApiErrors.ReadOnly) == (response.StatusCode, code), $"{operation}: {(int)response.StatusCode} {code}");
                    break;
                case ApiAccess.Read or ApiAccess.Applications:
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {code}");
                    break;
                default:
                    Assert.Equal(ApiErrors.AccountKeyOnly, code);
                    break;
            }
        }

        Assert.Equal(before, await SnapshotAsync(world.A.AppId));
    }

    /// <summary>Applications A and B, each with a media item and an upload waiting for its file; B also has a pull and usage.</summary>
    private async Task<World> BuildWorldAsync()
    {
        var a = await server.CreateApplicationAsync("A");
        var b = await server.CreateApplicationAsync("B");
        var secretTitle = $"B secret {Guid.NewGuid():N}";
        var secretUrl = $"https://b-{Guid.NewGuid():N}.example.com/b.mp4";
        const long secretTraffic = 987_654_321;
        var mediaA = await server.AddMediaAsync(a.Id, "A clip");
        var mediaB = await server.AddMediaAsync(b.Id, secretTitle);
        await server.AsOwnerAsync(b.Id, s => s.GetRequiredService<MediaPullService>().SubmitAsync(secretUrl));
        await server.Get<UsageRecorder>().AddAsync(b.Id, UsageMetric.TrafficBytes, secretTraffic, Today());
        return new World(
            new Side(a.Id, mediaA.Id, await StartUploadAsync(a.Id), await TemplateAsync(a.Id)),
            new Side(b.Id, mediaB.Id, await StartUploadAsync(b.Id), await TemplateAsync(b.Id)),
            secretTitle, secretUrl, secretTraffic);
    }

    private Task<long> TemplateAsync(long appId) => server.AsOwnerAsync(appId, async s => (await s.GetRequiredService<TranscodeTemplates>()
        .CreateAsync(new TranscodeTemplateEdit("Template", TranscodeFormat.Hls, [new(360, 800, 30, 96)]))).Id);

    private async Task<string> StartUploadAsync(long appId)
    {
        // Started by an account key: an upload session is bound to its key, and no test key of A is that key.
        using var http = server.Client(await server.CreateKeyAsync(null));
        using var response = await http.PostAsync($"/api/v1/uploads?SubAppId={appId}", ApiResponses.Json(new { FileName = "waiting.mp4" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("UploadId").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(TestApiKey key, Call call)
    {
        using var http = server.Client(key);
        var request = new HttpRequestMessage(call.Method, call.Path)
        {
            Content = call.Bytes is { } bytes ? new ByteArrayContent(bytes) : call.Json is { } json ? ApiResponses.Json(json) : null,
        };
        return await http.SendAsync(request);
    }

    /// <summary>Everything of an application an operation could change: media, uploads, pulls, usage and the audit log.</summary>
    private async Task<string> SnapshotAsync(long appId)
    {
        await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        await using var app = await server.Get<ApplicationData>().OpenForAsync(appId);
        var state = new
        {
            Media = await app.Media.OrderBy(m => m.Id).Select(m => new { m.Id, m.Title, m.Version, m.CategoryId, m.StorageKey, m.ReviewState, m.ReviewReason }).ToListAsync(),
            Uploads = await app.ApiUploads.OrderBy(u => u.Id).Select(u => new { u.Id, u.State }).ToListAsync(),
            Pulls = await app.MediaPulls.CountAsync(),
            Templates = await app.TranscodeTemplates.OrderBy(t => t.Id).Select(t => new { t.Id, t.Name, t.Version }).ToListAsync(),
            TranscodeJobs = await app.TranscodeJobs.CountAsync(),
            Usage = await db.DailyUsage.Where(u => u.ApplicationId == appId).OrderBy(u => u.Metric).Select(u => new { u.Metric, u.Value }).ToListAsync(),
            Audit = await db.AuditEntries.CountAsync(e => e.ApplicationId == appId),
        };
        return JsonSerializer.Serialize(state);
    }
}

/// <summary>Small files the API tests send.</summary>
internal static class TestFiles
{
    /// <summary>The head of an MP4 file: enough for the upload's content check to recognise it.</summary>
    public static readonly byte[] Mp4Head = [0, 0, 0, 0x20, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2mp41"u8, 0, 0, 0, 8, .. "free"u8];
}
