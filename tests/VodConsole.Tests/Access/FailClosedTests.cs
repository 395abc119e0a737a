using Microsoft.Extensions.DependencyInjection;
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
