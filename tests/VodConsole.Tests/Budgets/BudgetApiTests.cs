using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Budgets;
using VodConsole.Core.Data;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Budgets;

/// <summary>A used-up limit with "stop at the limit" refuses uploads and transcoding over the server API too, with a stable code.</summary>
public sealed class BudgetApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    [Fact]
    public async Task Uploads_pulls_and_transcoding_answer_QuotaExceeded_while_reading_and_playback_go_on()
    {
        var app = await server.CreateApplicationAsync("Quota");
        var http = server.Client(await server.CreateKeyAsync(app.Id));
        // A real 5 MB file behind the storage figure: the storage reconciler may recount it from the files at any time.
        var media = await server.AddMediaAsync(app.Id, "Stays readable", size: 5_000_000);
        await server.AsOwnerAsync(null, s => s.GetRequiredService<BudgetService>().SaveAsync(app.Id, new BudgetEdit(null, 0.001m, null, null, true, 0)));
        await using (var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            await server.Get<UsageRecorder>().ChangeLevelAsync(db, app.Id, UsageMetric.StorageBytes, 5_000_000);
        }

        var upload = await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "clip.mp4" }));
        var pull = await http.PostAsJsonAsync($"/api/v1/pulls?SubAppId={app.Id}", new { Urls = new[] { "https://example.com/clip.mp4" } });
        var transcode = await http.PostAsJsonAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={app.Id}", new { TemplateId = TranscodePresets.AudioAacId });
        var read = await http.GetAsync($"/api/v1/media/{media.Id}?SubAppId={app.Id}");

        Assert.Equal((HttpStatusCode.Forbidden, "QuotaExceeded.Storage"), (upload.StatusCode, await upload.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.Forbidden, "QuotaExceeded.Storage"), (pull.StatusCode, await pull.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.Forbidden, "QuotaExceeded.Storage"), (transcode.StatusCode, await transcode.ErrorCodeAsync()));
        Assert.Contains("storage cap", (await upload.JsonAsync()).GetProperty("Error").GetProperty("Message").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
