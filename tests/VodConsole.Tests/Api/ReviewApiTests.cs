using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;

namespace VodConsole.Tests.Api;

/// <summary>Approve and block over real HTTP, signed as any client signs: playback, the item, conflicts and the event follow.</summary>
public sealed class ReviewApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    /// <summary>A processed item waiting for a reviewer, as Manual review leaves a new upload.</summary>
    private async Task<MediaItem> AwaitingAsync(long app, string title)
    {
        var item = await server.AddMediaAsync(app, title);
        await using var db = await server.Get<ApplicationData>().OpenForAsync(app);
        await db.Media.Where(m => m.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ReviewState, ReviewState.Awaiting));
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == item.Id);
    }

    private async Task<HttpStatusCode> PlayAsync(long app, long id)
    {
        using var response = await server.PlainClient().GetAsync($"/play/{app}/{id}");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_key_blocks_with_a_reason_then_unblocks_and_playback_and_get_media_follow_each_decision()
    {
        var app = (await server.CreateApplicationAsync("Review API")).Id;
        var key = await server.CreateKeyAsync(app);
        using var http = server.Client(key);
        var item = await AwaitingAsync(app, "To review");
        Assert.Equal(HttpStatusCode.Forbidden, await PlayAsync(app, item.Id));

        var noReason = await http.PostAsJsonAsync($"/api/v1/media/{item.Id}/block?SubAppId={app}", new { Reason = "  " });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Reason"), (noReason.StatusCode, await noReason.ErrorCodeAsync()));

        var blocked = await http.PostAsJsonAsync($"/api/v1/media/{item.Id}/block?SubAppId={app}", new { Reason = "Shows a licensed logo" });
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        var got = await (await http.GetAsync($"/api/v1/media/{item.Id}?SubAppId={app}")).JsonAsync();
        Assert.Equal("Blocked", got.GetProperty("ReviewState").GetString());
        Assert.Equal("Shows a licensed logo", got.GetProperty("ReviewReason").GetString());
        Assert.Equal($"API key {key.KeyId}", got.GetProperty("ReviewedBy").GetString());
        Assert.Equal(JsonValueKind.String, got.GetProperty("ReviewedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, await PlayAsync(app, item.Id));

        // Approving a blocked item unblocks it; the body may be left out.
        var approved = await http.PostAsync($"/api/v1/media/{item.Id}/approve?SubAppId={app}", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await approved.JsonAsync();
        Assert.Equal(("Approved", JsonValueKind.Null), (body.GetProperty("ReviewState").GetString(), body.GetProperty("ReviewReason").ValueKind));
        Assert.Equal(HttpStatusCode.OK, await PlayAsync(app, item.Id));

        var again = await http.PostAsync($"/api/v1/media/{item.Id}/approve?SubAppId={app}", null);
        Assert.Equal((HttpStatusCode.BadRequest, "FailedOperation"), (again.StatusCode, await again.ErrorCodeAsync()));
        var missing = await http.PostAsync($"/api/v1/media/{item.Id + 1}/approve?SubAppId={app}", null);
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.Media"), (missing.StatusCode, await missing.ErrorCodeAsync()));
    }

    [Fact]
    public async Task Of_two_keys_deciding_with_the_same_version_the_second_gets_409_naming_the_first()
    {
        var app = (await server.CreateApplicationAsync("Review race")).Id;
        var first = await server.CreateKeyAsync(app);
        using var second = server.Client(await server.CreateKeyAsync(app));
        var item = await AwaitingAsync(app, "Raced");

        using (var http = server.Client(first))
        {
            var approved = await http.PostAsJsonAsync($"/api/v1/media/{item.Id}/approve?SubAppId={app}", new { item.Version });
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        var late = await second.PostAsJsonAsync($"/api/v1/media/{item.Id}/block?SubAppId={app}", new { Reason = "Too late", item.Version });

        Assert.Equal((HttpStatusCode.Conflict, "FailedOperation.VersionConflict"), (late.StatusCode, await late.ErrorCodeAsync()));
        Assert.Contains($"was already approved by API key {first.KeyId}", (await late.JsonAsync()).GetProperty("Error").GetProperty("Message").GetString());
        Assert.Equal("Approved", (await (await second.GetAsync($"/api/v1/media/{item.Id}?SubAppId={app}")).JsonAsync()).GetProperty("ReviewState").GetString());
    }

    [Fact]
    public async Task A_read_only_key_cannot_decide_and_the_decision_reaches_the_pull_queue_as_ReviewComplete()
    {
        var app = (await server.CreateApplicationAsync("Review events")).Id;
        await server.AsOwnerAsync(app, s => s.GetRequiredService<CallbackSettingsService>()
            .SaveAsync(new(CallbackMode.Pull, null, [CallbackEventType.ReviewComplete], ExpectedVersion: 0)));
        var item = await AwaitingAsync(app, "Evented");
        using var readOnly = server.Client(await server.CreateKeyAsync(app, ApplicationAccess.ReadOnly));
        var key = await server.CreateKeyAsync(app);
        using var http = server.Client(key);

        var refused = await readOnly.PostAsJsonAsync($"/api/v1/media/{item.Id}/block?SubAppId={app}", new { Reason = "Not mine to say" });
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden.ReadOnly"), (refused.StatusCode, await refused.ErrorCodeAsync()));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/v1/media/{item.Id}/block?SubAppId={app}", new { Reason = "Shows a licensed logo" })).StatusCode);

        var queued = Assert.Single((await (await readOnly.GetAsync($"/api/v1/callbacks/events?SubAppId={app}")).JsonAsync()).GetProperty("Events").EnumerateArray());
        Assert.Equal("ReviewComplete", queued.GetProperty("EventType").GetString());
        var data = queued.GetProperty("Payload").GetProperty("Data");
        Assert.Equal(item.Id, data.GetProperty("MediaId").GetInt64());
        Assert.Equal(("Blocked", "Shows a licensed logo", $"API key {key.KeyId}"),
            (data.GetProperty("Decision").GetString(), data.GetProperty("Reason").GetString(), data.GetProperty("Reviewer").GetString()));
    }
}
