using System.Net;
using VodConsole.Core.Api;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Access;
using Microsoft.Extensions.DependencyInjection;

namespace VodConsole.Tests.Api;

/// <summary>Which application a request's <c>SubAppId</c> selects, for account keys and application keys.</summary>
public sealed class ApiSubAppIdTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private async Task<(HttpStatusCode Status, string Body)> ListAsync(TestApiKey key, string query)
    {
        using var http = server.Client(key);
        using var response = await http.GetAsync("/api/v1/media" + query);
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK
            ? string.Join(",", (await response.JsonAsync()).GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("Title").GetString()))
            : await response.ErrorCodeAsync());
    }

    [Fact]
    public async Task Absent_zero_and_the_primary_id_all_mean_the_primary_application()
    {
        var primary = await server.PrimaryAsync();
        var title = $"Primary {Guid.NewGuid():N}";
        await server.AddMediaAsync(primary.Id, title);
        var key = await server.CreateKeyAsync(applicationId: null);

        foreach (var query in new[] { "", "?SubAppId=0", $"?SubAppId={primary.Id}", "?subappid=0" })
        {
            var (status, titles) = await ListAsync(key, query + (query.Length == 0 ? "?" : "&") + "Limit=100");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(title, titles.Split(','));
        }
    }

    [Fact]
    public async Task A_sub_application_id_selects_that_application_alone()
    {
        var app = await server.CreateApplicationAsync("Sub");
        var other = await server.CreateApplicationAsync("Other");
        await server.AddMediaAsync(app.Id, "Mine");
        await server.AddMediaAsync(other.Id, "Theirs");

        Assert.Equal((HttpStatusCode.OK, "Mine"), await ListAsync(await server.CreateKeyAsync(null), $"?SubAppId={app.Id}"));
        Assert.Equal((HttpStatusCode.OK, "Mine"), await ListAsync(await server.CreateKeyAsync(app.Id), $"?SubAppId={app.Id}"));
    }

    [Fact]
    public async Task An_application_the_key_may_not_use_answers_exactly_like_one_that_does_not_exist()
    {
        var app = await server.CreateApplicationAsync("Mine");
        var other = await server.CreateApplicationAsync("Forbidden");
        var key = await server.CreateKeyAsync(app.Id);
        var primary = await server.PrimaryAsync();

        var forbidden = await ListAsync(key, $"?SubAppId={other.Id}");
        var missing = await ListAsync(key, "?SubAppId=999999999999");
        var primaryByZero = await ListAsync(key, "?SubAppId=0");
        var primaryById = await ListAsync(key, $"?SubAppId={primary.Id}");

        Assert.All([forbidden, missing, primaryByZero, primaryById],
            r => Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.SubAppId"), r));
    }

    [Fact]
    public async Task Without_a_sub_app_id_an_application_key_uses_its_own_application()
    {
        var app = await server.CreateApplicationAsync("Own");
        await server.AddMediaAsync(app.Id, "Own item");

        Assert.Equal((HttpStatusCode.OK, "Own item"), await ListAsync(await server.CreateKeyAsync(app.Id, ApplicationAccess.ReadOnly), ""));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task A_malformed_sub_app_id_is_an_invalid_parameter(string value)
    {
        var key = await server.CreateKeyAsync(null);

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.SubAppId"), await ListAsync(key, "?SubAppId=" + Uri.EscapeDataString(value)));
    }

    [Fact]
    public async Task Two_sub_app_ids_are_refused()
    {
        var app = await server.CreateApplicationAsync("Twice");
        var key = await server.CreateKeyAsync(null);

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.SubAppId"), await ListAsync(key, $"?SubAppId={app.Id}&SubAppId=0"));
    }

    [Fact]
    public async Task A_disabled_application_is_managed_and_uploaded_to_through_the_api_while_its_playback_answers_403()
    {
        var app = await server.CreateApplicationAsync("Disabled");
        var kept = await server.AddMediaAsync(app.Id, "Kept");
        using var http = server.Client(await server.CreateKeyAsync(app.Id));
        using var accountHttp = server.Client(await server.CreateKeyAsync(null));
        await SetStatusAsync(app.Id, ApplicationStatus.Disabled);

        var byAppKey = await ListAsync(await server.CreateKeyAsync(app.Id), $"?SubAppId={app.Id}");
        var byAccountKey = await ListAsync(await server.CreateKeyAsync(null), $"?SubAppId={app.Id}");
        using var renamed = await http.PatchAsync($"/api/v1/media/{kept.Id}?SubAppId={app.Id}", ApiResponses.Json(new { Title = "Renamed" }));
        using var started = await accountHttp.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "clip.mp4" }));
        using var played = await server.PlainClient().GetAsync($"/play/{app.Id}/{kept.Id}");

        Assert.Equal((HttpStatusCode.OK, "Kept"), byAppKey);
        Assert.Equal((HttpStatusCode.OK, "Kept"), byAccountKey);
        Assert.Equal("Renamed", (await renamed.JsonAsync()).GetProperty("Title").GetString());
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, played.StatusCode);
    }

    [Fact]
    public async Task While_the_account_is_suspended_the_api_still_manages_its_applications()
    {
        var app = await server.CreateApplicationAsync("Suspended");
        var kept = await server.AddMediaAsync(app.Id, "Kept");
        var key = await server.CreateKeyAsync(app.Id);
        await server.AsOwnerAsync(null, s => s.GetRequiredService<AccountService>().SuspendAsync());
        try
        {
            using var http = server.Client(key);
            using var deleted = await http.DeleteAsync($"/api/v1/media/{kept.Id}?SubAppId={app.Id}");
            var listed = await ListAsync(key, $"?SubAppId={app.Id}");

            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Equal((HttpStatusCode.OK, ""), listed);
        }
        finally
        {
            await server.AsOwnerAsync(null, s => s.GetRequiredService<AccountService>().ResumeAsync());
        }
    }

    [Fact]
    public async Task Media_is_not_moved_into_a_disabled_application()
    {
        var app = await server.CreateApplicationAsync("From");
        var target = await server.CreateApplicationAsync("Stopped");
        var item = await server.AddMediaAsync(app.Id, "Stays");
        await SetStatusAsync(target.Id, ApplicationStatus.Disabled);
        using var http = server.Client(await server.CreateKeyAsync(null));

        using var moved = await http.PostAsync($"/api/v1/media/move?SubAppId={app.Id}",
            ApiResponses.Json(new { MediaIds = new[] { item.Id }, DestinationSubAppId = target.Id }));

        Assert.Equal((HttpStatusCode.Forbidden, ApiErrors.SubAppDisabled), (moved.StatusCode, await moved.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.OK, "Stays"), await ListAsync(await server.CreateKeyAsync(app.Id), $"?SubAppId={app.Id}"));
    }

    [Fact]
    public async Task A_disabled_application_of_another_key_is_still_only_not_found()
    {
        var app = await server.CreateApplicationAsync("Mine");
        var other = await server.CreateApplicationAsync("Hidden");
        await SetStatusAsync(other.Id, ApplicationStatus.Disabled);

        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound.SubAppId"), await ListAsync(await server.CreateKeyAsync(app.Id), $"?SubAppId={other.Id}"));
    }

    private Task SetStatusAsync(long applicationId, ApplicationStatus status) =>
        server.AsOwnerAsync(null, async s =>
        {
            var applications = s.GetRequiredService<ApplicationService>();
            var app = (await applications.FindAsync(applicationId))!;
            await applications.SetStatusAsync(applicationId, status, app.Version);
        });
}
