using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Client;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Api;

/// <summary>What each operation does for a key that may use it, over real HTTP.</summary>
public sealed class ApiOperationsTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private async Task<(long AppId, HttpClient Http)> AppWithKeyAsync(string prefix = "Ops")
    {
        var app = await server.CreateApplicationAsync(prefix);
        return (app.Id, server.Client(await server.CreateKeyAsync(app.Id)));
    }

    [Fact]
    public async Task Media_pages_follow_the_continuation_token_without_repeats_or_gaps()
    {
        var (appId, http) = await AppWithKeyAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await server.AddMediaAsync(appId, $"Item {i}")).Id);
        }

        var seen = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var json = await (await http.GetAsync($"/api/v1/media?SubAppId={appId}&Sort=Oldest&Limit=2"
                + (token is null ? "" : "&ContinuationToken=" + Uri.EscapeDataString(token)))).JsonAsync();
            seen.AddRange(json.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("MediaId").GetInt64()));
            token = json.GetProperty("ContinuationToken").GetString();
            pages++;
        }
        while (token is not null);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Search_filters_and_a_bad_token_or_parameter_answer_with_their_codes()
    {
        var (appId, http) = await AppWithKeyAsync();
        await server.AddMediaAsync(appId, "Sunset over the harbour");
        await server.AddMediaAsync(appId, "Morning traffic");

        var found = await (await http.GetAsync($"/api/v1/media?SubAppId={appId}&Text=harbour")).JsonAsync();
        using var badToken = await http.GetAsync($"/api/v1/media?SubAppId={appId}&ContinuationToken=not-a-token");
        using var badSort = await http.GetAsync($"/api/v1/media?SubAppId={appId}&Sort=Sideways");
        using var badLimit = await http.GetAsync($"/api/v1/media?SubAppId={appId}&Limit=1000");

        Assert.Equal(["Sunset over the harbour"], found.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("Title").GetString()));
        Assert.Equal("InvalidParameter.ContinuationToken", await badToken.ErrorCodeAsync());
        Assert.Equal("InvalidParameter.Sort", await badSort.ErrorCodeAsync());
        Assert.Equal("InvalidParameter.Limit", await badLimit.ErrorCodeAsync());
    }

    [Fact]
    public async Task Batch_get_lists_the_ids_that_are_not_media_of_the_application()
    {
        var (appId, http) = await AppWithKeyAsync();
        var other = await server.CreateApplicationAsync("Elsewhere");
        var mine = await server.AddMediaAsync(appId, "Mine");
        var theirs = await server.AddMediaAsync(other.Id, "Theirs");

        var json = await (await http.PostAsync($"/api/v1/media/batch-get?SubAppId={appId}",
            ApiResponses.Json(new { MediaIds = new[] { mine.Id, theirs.Id, 999_999_999L } }))).JsonAsync();
        using var tooMany = await http.PostAsync($"/api/v1/media/batch-get?SubAppId={appId}",
            ApiResponses.Json(new { MediaIds = Enumerable.Range(1, 21).ToArray() }));
        using var notJson = await http.PostAsync($"/api/v1/media/batch-get?SubAppId={appId}", ApiResponses.Json("oops"));

        Assert.Equal([mine.Id], json.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("MediaId").GetInt64()));
        Assert.Equal([theirs.Id, 999_999_999L], json.GetProperty("NonExistMediaIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal((HttpStatusCode.BadRequest, "LimitExceeded.MediaIds"), (tooMany.StatusCode, await tooMany.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Body"), (notJson.StatusCode, await notJson.ErrorCodeAsync()));
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_checks_the_version_and_is_audited_with_the_key_as_actor()
    {
        var app = await server.CreateApplicationAsync("Edit");
        var key = await server.CreateKeyAsync(app.Id);
        using var http = server.Client(key);
        var media = await server.AddMediaAsync(app.Id, "Before");

        using var updated = await http.PatchAsync($"/api/v1/media/{media.Id}?SubAppId={app.Id}",
            ApiResponses.Json(new { Title = "After", Tags = new[] { "News", "live" } }));
        var json = await updated.JsonAsync();
        using var stale = await http.PatchAsync($"/api/v1/media/{media.Id}?SubAppId={app.Id}", ApiResponses.Json(new { Title = "Stale", Version = 0 }));
        using var invalid = await http.PatchAsync($"/api/v1/media/{media.Id}?SubAppId={app.Id}", ApiResponses.Json(new { Title = "  " }));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("After", json.GetProperty("Title").GetString());
        Assert.Equal(["news", "live"], json.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal((HttpStatusCode.Conflict, ApiErrors.VersionConflict), (stale.StatusCode, await stale.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Title"), (invalid.StatusCode, await invalid.ErrorCodeAsync()));
        await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.ApplicationId == app.Id && e.Action == AuditActions.MediaUpdated);
        Assert.Equal($"API key {key.KeyId}", entry.Actor);
        Assert.Null(entry.UserId);
        Assert.Equal(app.Name, entry.Role);
    }

    [Fact]
    public async Task Delete_removes_the_item_and_a_second_delete_is_not_found()
    {
        var (appId, http) = await AppWithKeyAsync();
        var media = await server.AddMediaAsync(appId, "Doomed");

        using var deleted = await http.DeleteAsync($"/api/v1/media/{media.Id}?SubAppId={appId}");
        using var again = await http.DeleteAsync($"/api/v1/media/{media.Id}?SubAppId={appId}");
        using var get = await http.GetAsync($"/api/v1/media/{media.Id}?SubAppId={appId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.Media"), (again.StatusCode, await again.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.Media"), (get.StatusCode, await get.ErrorCodeAsync()));
    }

    [Fact]
    public async Task An_account_key_moves_media_between_applications_at_most_twenty_at_a_time()
    {
        var from = await server.CreateApplicationAsync("From");
        var to = await server.CreateApplicationAsync("To");
        using var http = server.Client(await server.CreateKeyAsync(null));
        var media = await server.AddMediaAsync(from.Id, "Traveller");

        using var moved = await http.PostAsync($"/api/v1/media/move?SubAppId={from.Id}",
            ApiResponses.Json(new { MediaIds = new[] { media.Id }, DestinationSubAppId = to.Id }));
        using var tooMany = await http.PostAsync($"/api/v1/media/move?SubAppId={to.Id}",
            ApiResponses.Json(new { MediaIds = Enumerable.Range(1, 21).ToArray(), DestinationSubAppId = from.Id }));
        using var nowThere = await http.GetAsync($"/api/v1/media/{media.Id}?SubAppId={to.Id}");

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "LimitExceeded.MediaIds"), (tooMany.StatusCode, await tooMany.ErrorCodeAsync()));
        Assert.Equal(to.Id, (await nowThere.JsonAsync()).GetProperty("SubAppId").GetInt64());
    }

    [Fact]
    public async Task Failed_media_moves_like_ready_media_and_media_still_processing_does_not()
    {
        var from = await server.CreateApplicationAsync("From");
        var to = await server.CreateApplicationAsync("To");
        using var http = server.Client(await server.CreateKeyAsync(null));
        var failed = await server.AddMediaAsync(from.Id, "Broken", status: MediaStatus.Failed);
        var processing = await server.AddMediaAsync(from.Id, "Busy", status: MediaStatus.Processing);

        using var movedFailed = await http.PostAsync($"/api/v1/media/move?SubAppId={from.Id}",
            ApiResponses.Json(new { MediaIds = new[] { failed.Id }, DestinationSubAppId = to.Id }));
        using var movedBusy = await http.PostAsync($"/api/v1/media/move?SubAppId={from.Id}",
            ApiResponses.Json(new { MediaIds = new[] { processing.Id }, DestinationSubAppId = to.Id }));
        using var failedNow = await http.GetAsync($"/api/v1/media/{failed.Id}?SubAppId={to.Id}");

        Assert.Equal(HttpStatusCode.OK, movedFailed.StatusCode);
        Assert.Equal(("Failed", to.Id), ((await failedNow.JsonAsync()).GetProperty("Status").GetString(), (await failedNow.JsonAsync()).GetProperty("SubAppId").GetInt64()));
        Assert.Equal((HttpStatusCode.BadRequest, "FailedOperation"), (movedBusy.StatusCode, await movedBusy.ErrorCodeAsync()));
    }

    [Fact]
    public async Task An_upload_is_started_sent_and_committed_and_a_changed_file_is_refused_and_kept_nowhere()
    {
        var app = await server.CreateApplicationAsync("Upload");
        var key = await server.CreateKeyAsync(app.Id);
        using var http = server.Client(key);
        var file = TestFiles.Mp4Head.Concat(new byte[10_000]).ToArray();

        var session = await (await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "api clip.mp4" }))).JsonAsync();
        using var early = await http.PostAsync(session.GetProperty("CommitUrl").GetString(), null);
        using var sent = await SendFileAsync(key, session.GetProperty("UploadUrl").GetString()!, file, VodApiSignature.Sha256Hex(file));
        using var twice = await SendFileAsync(key, session.GetProperty("UploadUrl").GetString()!, file, VodApiSignature.Sha256Hex(file));
        var committed = await (await http.PostAsync(session.GetProperty("CommitUrl").GetString(), null)).JsonAsync();
        var again = await (await http.PostAsync(session.GetProperty("CommitUrl").GetString(), null)).JsonAsync();

        Assert.Equal("FailedOperation.UploadNotReceived", await early.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(file.Length, (await sent.JsonAsync()).GetProperty("SizeBytes").GetInt64());
        Assert.Equal("FailedOperation.UploadAlreadyReceived", await twice.ErrorCodeAsync());
        var mediaId = committed.GetProperty("MediaId").GetInt64();
        Assert.Equal(mediaId, again.GetProperty("MediaId").GetInt64());
        var item = await server.AsOwnerAsync(app.Id, s => s.GetRequiredService<MediaLibrary>().FindAsync(mediaId));
        Assert.Equal(("api clip", file.Length, "video/mp4"), (item!.Title, item.SizeBytes, item.ContentType));

        // A file that is not the one signed for: refused once it has streamed, and nothing is kept.
        var tampered = await (await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "other.mp4" }))).JsonAsync();
        var filesBefore = Directory.GetFiles(Path.Combine(server.DataDirectory, "media", app.Id.ToString())).Length;
        using var refused = await SendFileAsync(key, tampered.GetProperty("UploadUrl").GetString()!, file, VodApiSignature.Sha256Hex([.. file, 1]));
        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.ContentHashMismatch), (refused.StatusCode, await refused.ErrorCodeAsync()));
        Assert.Equal(filesBefore, Directory.GetFiles(Path.Combine(server.DataDirectory, "media", app.Id.ToString())).Length);
    }

    [Fact]
    public async Task An_upload_of_something_that_is_not_media_is_refused_as_unsupported()
    {
        var app = await server.CreateApplicationAsync("Text");
        var key = await server.CreateKeyAsync(app.Id);
        using var http = server.Client(key);
        var text = "just some text, not a video"u8.ToArray();

        var session = await (await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "notes.mp4" }))).JsonAsync();
        using var refused = await SendFileAsync(key, session.GetProperty("UploadUrl").GetString()!, text, VodApiSignature.Sha256Hex(text));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, ApiErrors.UnsupportedFileType), (refused.StatusCode, await refused.ErrorCodeAsync()));
    }

    [Fact]
    public async Task Pulls_are_queued_and_listed_and_bad_urls_refused()
    {
        var (appId, http) = await AppWithKeyAsync();

        var queued = await (await http.PostAsync($"/api/v1/pulls?SubAppId={appId}", ApiResponses.Json(new { Urls = new[] { "https://media.example.com/a.mp4" } }))).JsonAsync();
        var listed = await (await http.GetAsync($"/api/v1/pulls?SubAppId={appId}")).JsonAsync();
        using var bad = await http.PostAsync($"/api/v1/pulls?SubAppId={appId}", ApiResponses.Json(new { Urls = new[] { "ftp://media.example.com/a.mp4" } }));

        var pullId = queued.GetProperty("Pulls")[0].GetProperty("PullId").GetInt64();
        Assert.Contains(pullId, listed.GetProperty("Pulls").EnumerateArray().Select(p => p.GetProperty("PullId").GetInt64()));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Urls"), (bad.StatusCode, await bad.ErrorCodeAsync()));
    }

    [Fact]
    public async Task Statistics_give_one_value_per_day_of_the_application()
    {
        var (appId, http) = await AppWithKeyAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await server.Get<UsageRecorder>().AddAsync(appId, UsageMetric.Plays, 42, today);

        var json = await (await http.GetAsync($"/api/v1/statistics?SubAppId={appId}&Metric=Plays&From={today.AddDays(-1):yyyy-MM-dd}&To={today:yyyy-MM-dd}")).JsonAsync();
        using var bad = await http.GetAsync($"/api/v1/statistics?SubAppId={appId}&Metric=Nonsense&From={today:yyyy-MM-dd}&To={today:yyyy-MM-dd}");

        Assert.Equal(appId, json.GetProperty("SubAppId").GetInt64());
        Assert.Equal([0L, 42L], json.GetProperty("Days").EnumerateArray().Select(d => d.GetProperty("Value").GetInt64()));
        Assert.Equal(42, json.GetProperty("Summary").GetInt64());
        Assert.Equal("InvalidParameter.Metric", await bad.ErrorCodeAsync());
    }

    [Fact]
    public async Task Account_keys_list_and_get_applications_and_application_keys_may_not()
    {
        var app = await server.CreateApplicationAsync("Listed");
        using var account = server.Client(await server.CreateKeyAsync(null));
        using var appKey = server.Client(await server.CreateKeyAsync(app.Id));

        var list = await (await account.GetAsync("/api/v1/applications")).JsonAsync();
        var one = await (await account.GetAsync($"/api/v1/applications/{app.Id}")).JsonAsync();
        using var missing = await account.GetAsync("/api/v1/applications/123456789");
        using var refused = await appKey.GetAsync("/api/v1/applications");

        Assert.Equal("Primary", list.GetProperty("Applications")[0].GetProperty("Kind").GetString());
        Assert.Contains(app.Id, list.GetProperty("Applications").EnumerateArray().Select(a => a.GetProperty("SubAppId").GetInt64()));
        Assert.Equal(app.Name, one.GetProperty("Name").GetString());
        Assert.Equal("ResourceNotFound.Application", await missing.ErrorCodeAsync());
        Assert.Equal((HttpStatusCode.Forbidden, ApiErrors.AccountKeyOnly), (refused.StatusCode, await refused.ErrorCodeAsync()));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_operations_and_needs_a_console_sign_in()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

        using var anonymous = await http.GetAsync("/api/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        var document = await server.Services.GetRequiredKeyedService<Microsoft.AspNetCore.OpenApi.IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
        Assert.Contains("/api/v1/media/batch-get", document.Paths.Keys);
        Assert.Contains(document.Paths["/api/v1/media"].Operations!.Values.Single().Parameters!, p => p.Name == "SubAppId");
    }

    [Fact]
    public async Task The_shell_example_signs_with_openssl_and_talks_to_a_real_server()
    {
        var app = await server.CreateApplicationAsync("Shell");
        var key = await server.CreateKeyAsync(app.Id);
        await server.AddMediaAsync(app.Id, "Listed by curl");
        var file = Path.Combine(server.DataDirectory, "shell upload.mp4");
        await File.WriteAllBytesAsync(file, [.. TestFiles.Mp4Head, .. new byte[5000]]);

        var example = await RunScriptAsync(key, "example");
        // As the documentation's first lines show it: an application key needs no SubAppId.
        var media = await RunScriptAsync(key, "media");
        var upload = await RunScriptAsync(key, "upload", file);
        var mediaById = await RunScriptAsync(key, "media", app.Id.ToString());

        Assert.Equal(ApiSignatureTests.ExampleSignature, example.Trim());
        Assert.Equal("Listed by curl", JsonDocument.Parse(media).RootElement.GetProperty("Media")[0].GetProperty("Title").GetString());
        Assert.Equal(2, JsonDocument.Parse(mediaById).RootElement.GetProperty("Media").GetArrayLength());
        var mediaId = JsonDocument.Parse(upload).RootElement.GetProperty("MediaId").GetInt64();
        var item = await server.AsOwnerAsync(app.Id, s => s.GetRequiredService<MediaLibrary>().FindAsync(mediaId));
        Assert.Equal(("shell upload", 5000L + TestFiles.Mp4Head.Length), (item!.Title, item.SizeBytes));
    }

    private async Task<string> RunScriptAsync(TestApiKey key, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(ApiSignatureTests.RepositoryRoot(), "docs", "api-example.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["VOD_API_URL"] = server.BaseUrl;
        start.Environment["VOD_KEY_ID"] = key.KeyId;
        start.Environment["VOD_SECRET"] = key.Secret;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"api-example.sh {string.Join(' ', arguments)} exited {process.ExitCode}: {await errors}{await output}");
        return await output;
    }

    /// <summary>A file PUT the way a client streams one: signed with a hash it gives, not one computed from the body.</summary>
    private async Task<HttpResponseMessage> SendFileAsync(TestApiKey key, string uploadUrl, byte[] file, string sha256)
    {
        using var http = server.PlainClient();
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(server.BaseUrl), uploadUrl)) { Content = new ByteArrayContent(file) };
        await new VodApiSigner(key.KeyId, key.Secret).SignAsync(request, sha256);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Pull_mode_callback_events_are_read_and_acknowledged_through_the_api()
    {
        var (appId, http) = await AppWithKeyAsync("Pull");
        await server.AsOwnerAsync(appId, scope => scope.GetRequiredService<VodConsole.Core.Callbacks.CallbackSettingsService>()
            .SaveAsync(new(VodConsole.Core.Callbacks.CallbackMode.Pull, null, [VodConsole.Core.Callbacks.CallbackEventType.MediaDeleted], ExpectedVersion: 0)));
        var media = await server.AddMediaAsync(appId, "Soon gone");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/v1/media/{media.Id}?SubAppId={appId}")).StatusCode);

        var events = (await (await http.GetAsync($"/api/v1/callbacks/events?SubAppId={appId}")).JsonAsync()).GetProperty("Events");
        var only = Assert.Single(events.EnumerateArray());
        Assert.Equal("MediaDeleted", only.GetProperty("EventType").GetString());
        Assert.Equal(media.Id, only.GetProperty("Payload").GetProperty("Data").GetProperty("MediaId").GetInt64());
        var eventId = only.GetProperty("EventId").GetInt64();

        var readOnly = server.Client(await server.CreateKeyAsync(appId, ApplicationAccess.ReadOnly));
        var refused = await readOnly.PostAsJsonAsync($"/api/v1/callbacks/events/ack?SubAppId={appId}", new { EventIds = new[] { eventId } });
        Assert.Equal((System.Net.HttpStatusCode.Forbidden, "Forbidden.ReadOnly"), (refused.StatusCode, await refused.ErrorCodeAsync()));

        var acked = await http.PostAsJsonAsync($"/api/v1/callbacks/events/ack?SubAppId={appId}", new { EventIds = new[] { eventId } });
        Assert.Equal(1, (await acked.JsonAsync()).GetProperty("Acknowledged").GetInt32());
        Assert.Empty((await (await http.GetAsync($"/api/v1/callbacks/events?SubAppId={appId}")).JsonAsync()).GetProperty("Events").EnumerateArray());
        var again = await http.PostAsJsonAsync($"/api/v1/callbacks/events/ack?SubAppId={appId}", new { EventIds = new[] { eventId } });
        Assert.Equal(0, (await again.JsonAsync()).GetProperty("Acknowledged").GetInt32());
    }
}
