using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Api;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Media;
using VodConsole.Tests.Api;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Crash;

/// <summary>
/// The real console process killed with SIGKILL in the middle of its work, then started again on the same data
/// (issue 12): after the restart no unfinished file is left, rows and files agree, the storage figures equal the rows,
/// every job finished or failed with a reason, and an interrupted callback is delivered again with the same event ID.
/// Kills happen when the data directory or the receiver shows the work is under way (never after a fixed sleep), or at
/// a crash point (<see cref="CrashPoints"/>) between two steps that are otherwise microseconds apart.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private static readonly Lazy<Task<byte[]>> Clip = new(async () =>
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-crash-clip-");
        try
        {
            return await File.ReadAllBytesAsync(await TestMedia.VideoAsync(folder.FullName, "clip.mp4"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    });

    private readonly CancellationTokenSource abandoned = new();
    private CrashScene scene = null!;

    public async ValueTask InitializeAsync() => scene = await CrashScene.CreateAsync();

    [Fact]
    public async Task A_console_upload_killed_midway_leaves_nothing_after_the_restart()
    {
        await scene.StartAsync();
        var (browser, token) = await scene.SignInAsync(scene.A);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/apps/{scene.A}/media/upload")
        {
            Content = StallingContent.Of(await Clip.Value, new MediaTypeHeaderValue("video/mp4")),
        };
        request.Headers.Add("X-File-Name", "half.mp4");
        request.Headers.Add("RequestVerificationToken", token);
        _ = browser.SendAsync(request, abandoned.Token);

        await scene.WaitForPartialFileAsync();
        await scene.KillAndRestartAsync();

        await scene.AssertConsistentAsync();
        Assert.Empty(await scene.MediaAsync());
    }

    [Fact]
    public async Task An_api_upload_killed_during_its_PUT_can_be_sent_again_after_the_restart()
    {
        await scene.StartAsync();
        var clip = await Clip.Value;
        string uploadId;
        using (var api = scene.Api())
        {
            uploadId = await scene.StartUploadAsync(api, scene.A);
            var put = new HttpRequestMessage(HttpMethod.Put, $"{scene.Server.BaseUrl}/api/v1/uploads/{uploadId}?SubAppId={scene.A}")
            {
                Content = StallingContent.Of(clip),
            };
            await scene.SignAsync(put, clip);
            _ = new HttpClient().SendAsync(put, abandoned.Token);
            await scene.WaitForPartialFileAsync();
        }

        await scene.KillAndRestartAsync();

        await scene.AssertConsistentAsync();
        await using (var db = await scene.OpenDbAsync())
        {
            // Started again means: send the file again (docs/api.md).
            Assert.Equal(ApiUploadState.Started, (await db.ApiUploads.IgnoreQueryFilters().SingleAsync(u => u.Id == uploadId)).State);
        }
        using (var api = scene.Api())
        {
            await CrashScene.SendAsync(api, scene.A, uploadId, clip);
            await CrashScene.CommitAsync(api, scene.A, uploadId);
        }
        await scene.AssertConsistentAsync();
        Assert.Equal(MediaStatus.Normal, Assert.Single(await scene.MediaAsync()).Status);
    }

    [Fact]
    public async Task A_url_pull_killed_midway_is_pulled_again_after_the_restart()
    {
        var clip = await Clip.Value;
        var requests = 0;
        // The first download stalls halfway (a slow source); the next one, after the restart, is served whole.
        await using var source = await LocalHttpServer.StartAsync(app => app.MapGet("/clip.mp4", async (HttpContext http) =>
        {
            http.Response.ContentType = "video/mp4";
            http.Response.ContentLength = clip.Length;
            if (Interlocked.Increment(ref requests) == 1)
            {
                await http.Response.Body.WriteAsync(clip.AsMemory(0, clip.Length / 2));
                await http.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            await http.Response.Body.WriteAsync(clip);
        }));
        await scene.StartAsync();
        using (var api = scene.Api())
        {
            using var response = await api.PostAsync($"/api/v1/pulls?SubAppId={scene.A}", ApiResponses.Json(new { Urls = new[] { source.Url("/clip.mp4") } }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await scene.WaitForPartialFileAsync();

        await scene.KillAndRestartAsync();

        await scene.AssertConsistentAsync();
        await using var db = await scene.OpenDbAsync();
        var pull = await db.MediaPulls.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(MediaPullState.Done, pull.State);
        Assert.Equal(2, requests);
        Assert.Equal(MediaStatus.Normal, Assert.Single(await scene.MediaAsync()).Status);
    }

    [Fact]
    public async Task A_move_killed_after_its_files_moved_is_undone_by_the_restart()
    {
        await scene.StartAsync(crashAt: CrashPoints.MoveFilesMoved);
        long mediaId;
        using (var api = scene.Api())
        {
            mediaId = await scene.UploadAsync(api, scene.A, await Clip.Value);
            await scene.AssertConsistentAsync(); // processed: only ready media moves
            _ = api.PostAsync($"/api/v1/media/move?SubAppId={scene.A}",
                ApiResponses.Json(new { MediaIds = new[] { mediaId }, DestinationSubAppId = scene.B }), abandoned.Token);
            await scene.Server.WaitForExitAsync();
        }
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(scene.MediaRoot, scene.B.ToString()))); // the crash left the files in B's folder

        await scene.StartAsync();

        await scene.AssertConsistentAsync();
        var item = Assert.Single(await scene.MediaAsync());
        Assert.Equal(scene.A, item.ApplicationId);
        using var player = new HttpClient { BaseAddress = new Uri(scene.Server.BaseUrl) };
        using var played = await player.GetAsync($"/play/{scene.A}/{mediaId}");
        Assert.Equal(HttpStatusCode.OK, played.StatusCode);

        // The same move, uninterrupted, now goes through with its figures.
        using (var api = scene.Api())
        {
            using var moved = await api.PostAsync($"/api/v1/media/move?SubAppId={scene.A}",
                ApiResponses.Json(new { MediaIds = new[] { mediaId }, DestinationSubAppId = scene.B }));
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        await scene.AssertConsistentAsync();
        Assert.Equal(scene.B, Assert.Single(await scene.MediaAsync()).ApplicationId);
    }

    [Fact]
    public async Task Killed_right_after_an_upload_commits_the_figures_already_count_it()
    {
        await scene.StartAsync(crashAt: CrashPoints.UploadCommitted);
        var clip = await Clip.Value;
        using (var api = scene.Api())
        {
            var uploadId = await scene.StartUploadAsync(api, scene.A);
            await CrashScene.SendAsync(api, scene.A, uploadId, clip);
            _ = api.PostAsync($"/api/v1/uploads/{uploadId}/commit?SubAppId={scene.A}", null, abandoned.Token);
            await scene.Server.WaitForExitAsync();
        }

        await scene.StartAsync();

        await scene.AssertConsistentAsync(); // the figures say one item of the clip's size
        var item = Assert.Single(await scene.MediaAsync());
        Assert.Equal(clip.Length, item.SizeBytes);
        Assert.Equal(MediaStatus.Normal, item.Status); // processing resumed from the database
    }

    [Fact]
    public async Task Killed_after_a_delete_commits_the_files_are_removed_by_the_restart()
    {
        await scene.StartAsync(crashAt: CrashPoints.DeleteCommitted);
        using (var api = scene.Api())
        {
            var mediaId = await scene.UploadAsync(api, scene.A, await Clip.Value);
            await scene.AssertConsistentAsync();
            _ = api.DeleteAsync($"/api/v1/media/{mediaId}?SubAppId={scene.A}", abandoned.Token);
            await scene.Server.WaitForExitAsync();
        }
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(scene.MediaRoot, scene.A.ToString()))); // the crash left the files

        await scene.StartAsync();

        await scene.AssertConsistentAsync();
        Assert.Empty(await scene.MediaAsync());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(scene.MediaRoot, scene.A.ToString())));
    }

    [Fact]
    public async Task A_callback_push_killed_in_flight_is_delivered_again_with_the_same_event_id()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Answer = n => n == 1 ? null : 200; // the first delivery hangs until the server dies
        await scene.PushCallbacksAsync(receiver.Url, CallbackEventType.UploadComplete);
        await scene.StartAsync();
        using (var api = scene.Api())
        {
            await scene.UploadAsync(api, scene.A, await Clip.Value);
        }
        await scene.WaitForAsync(() => Task.FromResult(receiver.Received.Count == 1), "the receiver to get the push");

        await scene.KillAndRestartAsync();

        await scene.WaitForAsync(() => Task.FromResult(receiver.Received.Count >= 2), "the push to arrive again");
        var first = receiver.Received[0];
        Assert.False(string.IsNullOrEmpty(first.EventId));
        Assert.All(receiver.Received, r => Assert.Equal(first.EventId, r.EventId));
        await scene.WaitForAsync(async () =>
        {
            await using var db = await scene.OpenDbAsync();
            return await db.CallbackEvents.IgnoreQueryFilters().AllAsync(e => e.State == CallbackEventState.Delivered);
        }, "the event to be recorded as delivered");
        await scene.AssertConsistentAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await abandoned.CancelAsync();
        await scene.DisposeAsync();
        abandoned.Dispose();
    }
}
