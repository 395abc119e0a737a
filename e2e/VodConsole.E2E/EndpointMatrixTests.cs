using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.E2E;

/// <summary>
/// The HTTP half of the isolation matrix: every endpoint the running console maps (read from its endpoint data source,
/// pages aside, which the shell guards), called over real HTTP with the sign-in cookie of an Administrator, full access
/// to A, read-only access to A, full access to B and no grant, on applications A, B and the primary one. An endpoint
/// without a rule here fails the test.
/// </summary>
public sealed class EndpointMatrixTests(ConsoleFixture fixture)
{
    private enum Person { Administrator, FullA, ReadOnlyA, FullB, Nobody }

    private enum Needs { Read, Write, Administrator }

    private sealed record Rule(Needs Needs, Func<Call, Task<IAPIResponse>> Send, int Success = StatusCodes.Status200OK);

    private sealed record Call(IAPIRequestContext Http, ConsoleServer Server, long App, long MediaId);

    private static readonly Dictionary<string, string> Unchecked = new()
    {
        ["POST /Account/Logout"] = "signs the caller out, whoever they are",
        ["GET /play/{appId:long}/{mediaId:long}"] = "public playback, answered by application status and URL signing (PlaybackEndpointTests)",
        ["HEAD /play/{appId:long}/{mediaId:long}"] = "public playback's headers, answered as GET is (PlaybackEndpointTests)",
        ["GET /play/{appId:long}/{mediaId:long}/outputs/{jobId:long}/{**path}"] =
            "public playback of derivative files, answered by application status and URL signing (TranscodingTests; SignedHlsTreeTests)",
        ["GET /play/{appId:long}/{mediaId:long}/outputs/{jobId:long}/s/{t}/{sign}/{**path}"] =
            "public playback of derivative files under a signed tree prefix, answered by application status and the signature (SignedHlsTreeTests)",
        ["GET /health/live"] = "the load balancer's liveness probe: anonymous, no application data (HealthEndpointTests)",
        ["HEAD /health/live"] = "the liveness probe's headers",
        ["GET /health/ready"] = "the load balancer's readiness probe (database and storage reachable): anonymous, no application data (HealthEndpointTests)",
        ["HEAD /health/ready"] = "the readiness probe's headers",
        ["GET /api/openapi/{documentName}.json"] = "the API's description for signed-in users, no application data",
        ["GET /api/reference/{documentName?}"] = "the API reference page, no application data",
        ["GET /api/reference/scalar.js"] = "a script of the reference page",
        ["GET /api/reference/scalar.aspnetcore.js"] = "a script of the reference page",
        ["GET /api/reference/favicon.svg"] = "an icon of the reference page",
    };

    /// <summary>The server API authenticates keys, not cookies: its own matrix enumerates these (ApiIsolationTests).</summary>
    private const string ServerApiPrefix = "/api/v1/";

    private static readonly string StatisticsQuery =
        new VodConsole.Core.Usage.StatisticsQuery(VodConsole.Core.Usage.UsageMetric.StorageBytes,
            VodConsole.Core.Usage.StatisticsRange.Last(7, TimeProvider.System)).QueryString;

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["GET /admin/statistics/export.csv"] = new(Needs.Administrator, c => c.Http.GetAsync(c.Server.Url($"/admin/statistics/export.csv?{StatisticsQuery}"))),
        ["GET /apps/{appId:long}/statistics/export.csv"] = new(Needs.Read, c => c.Http.GetAsync(c.Server.Url($"/apps/{c.App}/statistics/export.csv?{StatisticsQuery}"))),
        ["GET /admin/chargeback/export.csv"] = new(Needs.Administrator, c =>
            c.Http.GetAsync(c.Server.Url($"/admin/chargeback/export.csv?from={DateTime.UtcNow:yyyy-MM-01}&to={DateTime.UtcNow:yyyy-MM-dd}"))),
        ["GET /admin/configuration/{appId:long}/export.json"] = new(Needs.Administrator, c =>
            c.Http.GetAsync(c.Server.Url($"/admin/configuration/{c.App}/export.json"))),
        ["GET /admin/audit/export.csv"] = new(Needs.Administrator, c => c.Http.GetAsync(c.Server.Url("/admin/audit/export.csv"))),
        ["GET /apps/{appId:long}/audit/export.csv"] = new(Needs.Write, c => c.Http.GetAsync(c.Server.Url($"/apps/{c.App}/audit/export.csv"))),
        ["GET /apps/{appId:long}/media/{mediaId:long}/cover"] = new(Needs.Read, c =>
            c.Http.GetAsync(c.Server.Url($"/apps/{c.App}/media/{c.MediaId}/cover"))),
        ["GET /apps/{appId:long}/media/{mediaId:long}/storyboard/{index:int}"] = new(Needs.Read, c =>
            c.Http.GetAsync(c.Server.Url($"/apps/{c.App}/media/{c.MediaId}/storyboard/0"))),
        // Without the page's antiforgery token an allowed upload stops at 400, after the access checks this matrix is about;
        // UploadTests sends real files through the page.
        ["POST /apps/{appId:long}/media/upload"] = new(Needs.Write, c => c.Http.PostAsync(c.Server.Url($"/apps/{c.App}/media/upload"), new()
        {
            Headers = new Dictionary<string, string> { ["X-File-Name"] = "clip.mp4", ["Content-Type"] = "application/octet-stream" },
            DataByte = [0, 0, 0, 0x20, .. "ftypisom"u8],
        }), Success: StatusCodes.Status400BadRequest),
    };

    [Fact]
    public async Task Every_endpoint_answers_exactly_where_the_grants_say_and_not_found_elsewhere()
    {
        var server = fixture.Server;
        var endpoints = server.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null)
            // Static files map relative patterns ("app.css") and Blazor its own under "/_": neither holds application data.
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith('/') && !raw.StartsWith("/_", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method => $"{method} {e.RoutePattern.RawText}"))
            .Where(key => !key[(key.IndexOf(' ') + 1)..].StartsWith(ServerApiPrefix, StringComparison.Ordinal))
            .Distinct()
            .ToList();
        var ruled = Rules.Keys.Concat(Unchecked.Keys).ToList();
        Assert.True(endpoints.ToHashSet().SetEquals(ruled),
            $"Without a rule: {string.Join("; ", endpoints.Except(ruled))}. Rules for nothing: {string.Join("; ", ruled.Except(endpoints))}.");

        var a = await server.CreateSubApplicationAsync("Matrix A");
        var b = await server.CreateSubApplicationAsync("Matrix B");
        var primary = (await server.Get<ApplicationService>().ListAsync()).Single(x => x.IsPrimary);
        var covered = new Dictionary<long, long>
        {
            [a.Id] = await MediaWithCoverAsync(a.Id), [b.Id] = await MediaWithCoverAsync(b.Id), [primary.Id] = await MediaWithCoverAsync(primary.Id),
        };
        var grants = new Dictionary<Person, (long App, ApplicationAccess Access)?>
        {
            [Person.Administrator] = null, [Person.FullA] = (a.Id, ApplicationAccess.Full), [Person.ReadOnlyA] = (a.Id, ApplicationAccess.ReadOnly),
            [Person.FullB] = (b.Id, ApplicationAccess.Full), [Person.Nobody] = null,
        };

        var wrong = new List<string>();
        foreach (var person in Enum.GetValues<Person>())
        {
            await using var tab = await SignedInAsync(person, grants[person]);
            foreach (var (endpoint, rule) in Rules)
            {
                foreach (var app in new[] { a.Id, b.Id, primary.Id })
                {
                    var grant = grants[person] is { } g && g.App == app ? g.Access : (ApplicationAccess?)null;
                    var expected = rule.Needs switch
                    {
                        Needs.Read => person == Person.Administrator || grant is not null,
                        Needs.Write => person == Person.Administrator || grant == ApplicationAccess.Full,
                        _ => person == Person.Administrator,
                    };
                    var response = await rule.Send(new Call(tab.Page.APIRequest, server, app, covered[app]));
                    var refusedAsNotFound = response.Status == StatusCodes.Status404NotFound
                        || (response.Status == StatusCodes.Status403Forbidden && grant == ApplicationAccess.ReadOnly);
                    if (expected ? response.Status != rule.Success : !refusedAsNotFound)
                    {
                        wrong.Add($"{endpoint} as {person} on {(app == a.Id ? "A" : app == b.Id ? "B" : "primary")}: " +
                                  $"expected {(expected ? rule.Success : "404 (403 for read-only)")}, got {response.Status}");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private async Task<ConsolePage> SignedInAsync(Person person, (long App, ApplicationAccess Access)? grant)
    {
        var server = fixture.Server;
        var email = await server.CreateUserAsync(person.ToString().ToLowerInvariant(), isAdministrator: person == Person.Administrator);
        if (grant is { } g)
        {
            var userId = (await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(email))!.Id;
            await server.Get<UserAccessService>().SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [g.App] = g.Access });
        }
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/Account/Login");
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await Expect(tab.Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        return tab;
    }

    private async Task<long> MediaWithCoverAsync(long app)
    {
        var coverKey = await fixture.Server.Get<IMediaStorage>().SaveAsync(app, new MemoryStream([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        var frameKey = await fixture.Server.Get<IMediaStorage>().SaveAsync(app, new MemoryStream([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        await using var db = await fixture.Server.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = "Matrix clip", Status = MediaStatus.Normal, ContentType = "video/mp4", CoverKey = coverKey,
            StoryboardKeys = [frameKey],
            StorageKey = $"{app}/{Guid.NewGuid():N}", SizeBytes = 1000, CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }
}
