using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Review;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Configuration;

/// <summary>The server API exports a document and previews and applies it, with the page's rules: stale, invalid and read-only refused.</summary>
public sealed class ConfigurationApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    [Fact]
    public async Task A_document_exported_from_one_application_is_previewed_and_applied_to_another()
    {
        var test = await server.CreateApplicationAsync("Config test");
        var production = await server.CreateApplicationAsync("Config production");
        await server.AsOwnerAsync(test.Id, s => s.GetRequiredService<MediaReview>().SetModeAsync(ReviewMode.Manual, 0));
        using var account = server.Client(await server.CreateKeyAsync(null));

        using var export = await account.GetAsync($"/api/v1/configuration?SubAppId={test.Id}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var document = (await export.JsonAsync()).GetProperty("Document");
        Assert.Equal(1, document.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("Manual", document.GetProperty("review").GetProperty("mode").GetString());

        var body = new { Document = document, Sections = new[] { "Review", "Callbacks" } };
        using var preview = await account.PostAsync($"/api/v1/configuration/preview?SubAppId={production.Id}", ApiResponses.Json(body));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewed = await preview.JsonAsync();
        var change = previewed.GetProperty("Changes").EnumerateArray().Single(c => c.GetProperty("Setting").GetString() == "Review mode");
        Assert.Equal(("Off", "Manual", "Changed"), (change.GetProperty("Current").GetString(), change.GetProperty("New").GetString(), change.GetProperty("Kind").GetString()));
        Assert.Contains(previewed.GetProperty("Notes").EnumerateArray(), n => n.GetString()!.Contains("new callback key", StringComparison.Ordinal));
        var fingerprint = previewed.GetProperty("Fingerprint").GetString();

        using var applied = await account.PostAsync($"/api/v1/configuration/apply?SubAppId={production.Id}",
            ApiResponses.Json(new { body.Document, body.Sections, Fingerprint = fingerprint }));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal("Applied", (await applied.JsonAsync()).GetProperty("Outcome").GetString());
        Assert.Equal(ReviewMode.Manual, await server.AsOwnerAsync(production.Id, async s => (await s.GetRequiredService<MediaReview>().GetModeAsync()).Mode));

        // The same fingerprint again: production changed since (by this very apply), so it is refused and nothing changes.
        using var stale = await account.PostAsync($"/api/v1/configuration/apply?SubAppId={production.Id}",
            ApiResponses.Json(new { body.Document, Sections = new[] { "Review" }, Fingerprint = fingerprint }));
        Assert.Equal((HttpStatusCode.Conflict, "FailedOperation.VersionConflict"), (stale.StatusCode, await stale.ErrorCodeAsync()));
    }

    [Fact]
    public async Task A_document_that_is_not_one_and_a_read_only_key_are_refused()
    {
        var app = await server.CreateApplicationAsync("Config refused");
        using var full = server.Client(await server.CreateKeyAsync(app.Id));
        using var readOnly = server.Client(await server.CreateKeyAsync(app.Id, ApplicationAccess.ReadOnly));
        using var export = await readOnly.GetAsync($"/api/v1/configuration?SubAppId={app.Id}");
        var document = (await export.JsonAsync()).GetProperty("Document");

        using var notOne = await full.PostAsync($"/api/v1/configuration/apply?SubAppId={app.Id}",
            ApiResponses.Json(new { Document = new { schemaVersion = 7 }, Sections = new[] { "Review" } }));
        using var noSection = await full.PostAsync($"/api/v1/configuration/preview?SubAppId={app.Id}", ApiResponses.Json(new { Document = document }));
        using var refused = await readOnly.PostAsync($"/api/v1/configuration/apply?SubAppId={app.Id}",
            ApiResponses.Json(new { Document = document, Sections = new[] { "Review" } }));

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Document"), (notOne.StatusCode, await notOne.ErrorCodeAsync()));
        Assert.Contains("schemaVersion is 7", (await notOne.JsonAsync()).GetProperty("Error").GetProperty("Message").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter.Sections"), (noSection.StatusCode, await noSection.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden.ReadOnly"), (refused.StatusCode, await refused.ErrorCodeAsync()));
        Assert.Equal(0, await server.AsOwnerAsync(null, async s =>
            (await s.GetRequiredService<AuditLog>().PageAsync(new AuditQuery(ApplicationId: app.Id, Action: AuditActions.ConfigurationApplied), null)).Entries.Count));
    }
}
