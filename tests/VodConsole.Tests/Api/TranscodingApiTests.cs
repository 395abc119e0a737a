using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Api;

/// <summary>Transcoding templates and jobs over real HTTP, signed as any client signs.</summary>
public sealed class TranscodingApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private static object Template(string name, int height = 360) =>
        new { Name = name, Format = "Hls", Renditions = new[] { new { Height = height, VideoBitrateKbps = 800, MaxFrameRate = 30, AudioBitrateKbps = 96 } } };

    private async Task<(long AppId, HttpClient Http)> AppWithKeyAsync()
    {
        var app = await server.CreateApplicationAsync("Transcode");
        return (app.Id, server.Client(await server.CreateKeyAsync(app.Id)));
    }

    [Fact]
    public async Task Templates_are_created_listed_updated_with_a_version_check_and_deleted()
    {
        var (appId, http) = await AppWithKeyAsync();

        var created = await (await http.PostAsJsonAsync($"/api/v1/transcode-templates?SubAppId={appId}", Template("Web"))).JsonAsync();
        var id = created.GetProperty("TemplateId").GetInt64();
        Assert.True(id > 0);
        Assert.Equal(360, created.GetProperty("Renditions")[0].GetProperty("Height").GetInt32());

        var list = (await (await http.GetAsync($"/api/v1/transcode-templates?SubAppId={appId}")).JsonAsync()).GetProperty("Templates").EnumerateArray().ToList();
        Assert.Contains(list, t => t.GetProperty("TemplateId").GetInt64() == TranscodePresets.AudioAacId && t.GetProperty("IsPreset").GetBoolean());
        Assert.Contains(list, t => t.GetProperty("TemplateId").GetInt64() == id && t.GetProperty("Name").GetString() == "Web");

        var version = created.GetProperty("Version").GetInt64();
        var updated = await http.PutAsJsonAsync($"/api/v1/transcode-templates/{id}?SubAppId={appId}",
            new { Name = "Web 720", Format = "Hls", Renditions = new[] { new { Height = 720, VideoBitrateKbps = 2500, MaxFrameRate = 30, AudioBitrateKbps = 128 } }, Version = version });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var stale = await http.PutAsJsonAsync($"/api/v1/transcode-templates/{id}?SubAppId={appId}",
            new { Name = "Lost", Format = "Hls", Renditions = new[] { new { Height = 480, VideoBitrateKbps = 900, MaxFrameRate = 30, AudioBitrateKbps = 96 } }, Version = version });
        Assert.Equal((HttpStatusCode.Conflict, "FailedOperation.VersionConflict"), (stale.StatusCode, await stale.ErrorCodeAsync()));

        var tooTall = await http.PostAsJsonAsync($"/api/v1/transcode-templates?SubAppId={appId}", Template("Tall", 100000));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Renditions"), (tooTall.StatusCode, await tooTall.ErrorCodeAsync()));
        var preset = await http.DeleteAsync($"/api/v1/transcode-templates/{TranscodePresets.AudioAacId}?SubAppId={appId}");
        Assert.Equal((HttpStatusCode.BadRequest, "FailedOperation"), (preset.StatusCode, await preset.ErrorCodeAsync()));

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/v1/transcode-templates/{id}?SubAppId={appId}")).StatusCode);
        var again = await http.DeleteAsync($"/api/v1/transcode-templates/{id}?SubAppId={appId}");
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.TranscodeTemplate"), (again.StatusCode, await again.ErrorCodeAsync()));
        var names = (await (await http.GetAsync($"/api/v1/transcode-templates?SubAppId={appId}")).JsonAsync()).GetProperty("Templates")
            .EnumerateArray().Select(t => t.GetProperty("Name").GetString());
        Assert.DoesNotContain("Web 720", names);
    }

    [Fact]
    public async Task A_job_started_over_the_api_is_listed_with_its_template()
    {
        var (appId, http) = await AppWithKeyAsync();
        var media = await server.AddMediaAsync(appId, "To transcode");

        var started = await http.PostAsJsonAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={appId}", new { TemplateId = TranscodePresets.AudioAacId });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var job = Assert.Single((await started.JsonAsync()).GetProperty("Jobs").EnumerateArray());
        Assert.Equal(media.Id, job.GetProperty("MediaId").GetInt64());
        Assert.Equal(TranscodePresets.AudioAacId, job.GetProperty("TemplateId").GetInt64());

        var listed = Assert.Single((await (await http.GetAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={appId}")).JsonAsync())
            .GetProperty("Jobs").EnumerateArray());
        Assert.Equal(job.GetProperty("JobId").GetInt64(), listed.GetProperty("JobId").GetInt64());

        var noTemplate = await http.PostAsJsonAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={appId}", new { });
        Assert.Equal("InvalidParameter.TemplateId", await noTemplate.ErrorCodeAsync());
    }

    [Fact]
    public async Task Another_applications_templates_and_media_are_not_found()
    {
        var (appId, http) = await AppWithKeyAsync();
        var other = await server.CreateApplicationAsync("Transcode other");
        var theirTemplate = await server.AsOwnerAsync(other.Id, s => s.GetRequiredService<TranscodeTemplates>()
            .CreateAsync(new TranscodeTemplateEdit("Theirs", TranscodeFormat.Hls, [new(360, 800, 30, 96)])));
        var theirMedia = await server.AddMediaAsync(other.Id, "Theirs");
        var mine = await server.AddMediaAsync(appId, "Mine");

        var update = await http.PutAsJsonAsync($"/api/v1/transcode-templates/{theirTemplate.Id}?SubAppId={appId}", Template("Taken"));
        var delete = await http.DeleteAsync($"/api/v1/transcode-templates/{theirTemplate.Id}?SubAppId={appId}");
        var startWithTheirs = await http.PostAsJsonAsync($"/api/v1/media/{mine.Id}/transcode-jobs?SubAppId={appId}", new { TemplateId = theirTemplate.Id });
        var startOnTheirs = await http.PostAsJsonAsync($"/api/v1/media/{theirMedia.Id}/transcode-jobs?SubAppId={appId}", new { TemplateId = TranscodePresets.AudioAacId });
        var listTheirs = await http.GetAsync($"/api/v1/media/{theirMedia.Id}/transcode-jobs?SubAppId={appId}");

        Assert.Equal("ResourceNotFound.TranscodeTemplate", await update.ErrorCodeAsync());
        Assert.Equal("ResourceNotFound.TranscodeTemplate", await delete.ErrorCodeAsync());
        Assert.Equal("ResourceNotFound.TranscodeTemplate", await startWithTheirs.ErrorCodeAsync());
        Assert.Equal("ResourceNotFound.Media", await startOnTheirs.ErrorCodeAsync());
        Assert.Equal("ResourceNotFound.Media", await listTheirs.ErrorCodeAsync());
        Assert.Equal("Theirs", (await server.AsOwnerAsync(other.Id, s => s.GetRequiredService<TranscodeTemplates>().ListAsync()))
            .Single(t => t.Id == theirTemplate.Id).Name);
    }

    [Fact]
    public async Task A_read_only_key_reads_templates_and_jobs_but_changes_nothing()
    {
        var app = await server.CreateApplicationAsync("Transcode read-only");
        var readOnly = server.Client(await server.CreateKeyAsync(app.Id, ApplicationAccess.ReadOnly));
        var media = await server.AddMediaAsync(app.Id, "Look only");

        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync($"/api/v1/transcode-templates?SubAppId={app.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={app.Id}")).StatusCode);
        var create = await readOnly.PostAsJsonAsync($"/api/v1/transcode-templates?SubAppId={app.Id}", Template("Nope"));
        var start = await readOnly.PostAsJsonAsync($"/api/v1/media/{media.Id}/transcode-jobs?SubAppId={app.Id}", new { TemplateId = TranscodePresets.AudioAacId });
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden.ReadOnly"), (create.StatusCode, await create.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden.ReadOnly"), (start.StatusCode, await start.ErrorCodeAsync()));
        Assert.Empty(await server.AsOwnerAsync(app.Id, s => s.GetRequiredService<TranscodeJobs>().ListForMediaAsync(media.Id)));
    }
}
