using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Review;

/// <summary>
/// The real console over real HTTP: a clip uploaded while review is Manual is processed by the server's own worker and
/// then answers 403 on the playback domain until it is approved, and again once blocked; the API's media item says why.
/// </summary>
public sealed class ReviewPlaybackTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private async Task<JsonElement> ApiMediaAsync(TestApiKey key, long app, long id)
    {
        using var http = server.Client(key);
        using var response = await http.GetAsync($"/api/v1/media/{id}?SubAppId={app}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<HttpStatusCode> PlayAsync(long app, long id)
    {
        using var response = await server.PlainClient().GetAsync($"/play/{app}/{id}");
        return response.StatusCode;
    }

    [Fact]
    public async Task Playback_answers_403_while_awaiting_review_200_once_approved_and_403_once_blocked()
    {
        var app = (await server.CreateApplicationAsync("Review")).Id;
        var key = await server.CreateKeyAsync(app);
        await server.AsOwnerAsync(app, s => s.GetRequiredService<MediaReview>().SetModeAsync(ReviewMode.Manual, 0));
        var folder = Directory.CreateTempSubdirectory("vodconsole-review-http-").FullName;
        var clip = await TestMedia.VideoAsync(folder, "clip.mp4");
        var uploaded = await server.AsOwnerAsync(app, s =>
            s.GetRequiredService<MediaUploadService>().UploadAsync(app, "clip.mp4", File.OpenRead(clip), MediaOptions.DefaultMaxUploadBytes));

        // The server's processing worker takes it: wait for that, not for a fixed time.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        MediaItem item;
        while (true)
        {
            await using (var db = await server.Get<ApplicationData>().OpenForAsync(app))
            {
                item = await db.Media.AsNoTracking().SingleAsync(m => m.Id == uploaded.Id);
            }
            if (item.Status != MediaStatus.Processing || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal((MediaStatus.Normal, ReviewState.Awaiting), (item.Status, item.ReviewState));
        Assert.Equal(MediaReview.StoryboardFrames, item.StoryboardKeys.Count);

        Assert.Equal(HttpStatusCode.Forbidden, await PlayAsync(app, item.Id));
        Assert.Equal("Awaiting", (await ApiMediaAsync(key, app, item.Id)).GetProperty("ReviewState").GetString());

        await server.AsOwnerAsync(app, s => s.GetRequiredService<MediaReview>().ApproveAsync(item.Id));
        Assert.Equal(HttpStatusCode.OK, await PlayAsync(app, item.Id));
        var approved = await ApiMediaAsync(key, app, item.Id);
        Assert.Equal("Approved", approved.GetProperty("ReviewState").GetString());
        Assert.Equal(JsonValueKind.Null, approved.GetProperty("ReviewReason").ValueKind);

        await server.AsOwnerAsync(app, s => s.GetRequiredService<MediaReview>().BlockAsync(item.Id, "Shows a licensed logo"));
        Assert.Equal(HttpStatusCode.Forbidden, await PlayAsync(app, item.Id));
        var blocked = await ApiMediaAsync(key, app, item.Id);
        Assert.Equal(("Blocked", "Shows a licensed logo"),
            (blocked.GetProperty("ReviewState").GetString(), blocked.GetProperty("ReviewReason").GetString()));
        Directory.Delete(folder, recursive: true);
    }
}
