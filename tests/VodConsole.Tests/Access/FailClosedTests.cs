using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Tests.Api;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Access;

/// <summary>
/// A scope in which nobody was entered — no user, no API key, no declared system work — gets nothing: the request
/// scope of an endpoint that forgot to resolve its caller (issue 11, item 12). Every service operation is also run in
/// such a scope by the isolation matrix (<see cref="IsolationMatrixTests.Person.NoCaller"/>).
/// </summary>
public sealed class FailClosedTests
{
    [Fact]
    public async Task An_endpoint_that_forgot_to_resolve_its_caller_gets_nothing()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var request = console.NewScope(); // what an endpoint's request has before EndpointRoles.ResolveAsync

        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<ApplicationData>().OpenForAsync(app));
        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<ApplicationData>().OpenSystemWideAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<ApplicationData>().OpenAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<MediaLibrary>().PageAsync(new MediaQuery(), null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<AuditLog>().PageAsync(new AuditQuery(ApplicationId: app), null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => request.GetRequiredService<ApplicationService>().FindAsync(app));
        var access = request.GetRequiredService<AccessPolicy>();
        Assert.False(await access.MayWriteAsync(app));
        Assert.False(await access.MayReadAsync(app));
        Assert.Throws<AccessDeniedException>(access.RequireSystem);
    }

    [Fact]
    public async Task Over_http_an_endpoint_that_reads_media_without_resolving_its_caller_answers_nothing()
    {
        await using var server = new ApiServer(configure: services => services.AddSingleton<IStartupFilter, ForgetfulEndpoint>());
        var app = await server.CreateApplicationAsync("Forgotten");
        await server.AddMediaAsync(app.Id, "Secret title");

        using var http = server.PlainClient();
        using var response = await http.GetAsync($"{ForgetfulEndpoint.Path}?app={app.Id}", TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Secret title", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>An endpoint written like the cover endpoint, but without <c>EndpointRoles.ResolveAsync</c>: the bug to survive.</summary>
    private sealed class ForgetfulEndpoint : IStartupFilter
    {
        public const string Path = "/test/forgetful";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(Path, branch => branch.Run(async http =>
            {
                var appId = long.Parse(http.Request.Query["app"]!, System.Globalization.CultureInfo.InvariantCulture);
                await using var db = await http.RequestServices.GetRequiredService<ApplicationData>().OpenForAsync(appId);
                await http.Response.WriteAsync(string.Join(", ", await db.Media.Select(m => m.Title).ToListAsync()));
            }));
            next(app);
        };
    }

    [Fact]
    public async Task Declared_system_work_passes_and_a_users_scope_can_never_become_it()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var system = console.SystemScope();
        await using (await system.GetRequiredService<ApplicationData>().OpenForAsync(app))
        {
        }
        system.GetRequiredService<AccessPolicy>().RequireSystem();

        var userId = await console.AddUserAsync("someone@vod.test");
        var scope = await console.AsUserAsync(userId);
        Assert.Throws<InvalidOperationException>(() => scope.GetRequiredService<RoleContext>().EnterSystem());
        Assert.Throws<AccessDeniedException>(scope.GetRequiredService<AccessPolicy>().RequireSystem);
    }
}
