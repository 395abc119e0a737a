using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Access;

/// <summary>The switcher lists only what the user may use, each role with the access the user has in it.</summary>
public sealed class RoleCatalogAccessTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private Application primary = null!;
    private Application a = null!;
    private Application b = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        primary = (await applications.ListAsync()).Single();
        a = await applications.CreateSubApplicationAsync("App A", null);
        b = await applications.CreateSubApplicationAsync("App B", null);
    }

    private async Task<RoleCatalog> CatalogOfUserWithAsync(Dictionary<long, ApplicationAccess> grants, bool isAdministrator = false)
    {
        var userId = await console.AddUserAsync($"user-{Guid.NewGuid():N}@vod.test", isAdministrator: isAdministrator);
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.AddRange(grants.Select(g => new ApplicationGrant { UserId = userId, ApplicationId = g.Key, Access = g.Value }));
            await db.SaveChangesAsync();
        }
        return (await console.Get<RoleResolver>().LoadCatalogAsync(userId))!;
    }

    [Fact]
    public async Task An_administrator_has_admin_and_every_application_in_full()
    {
        await StartAsync();

        var catalog = await CatalogOfUserWithAsync([], isAdministrator: true);

        Assert.Equal([null, primary.Id, a.Id, b.Id], catalog.Roles.Select(r => r.ApplicationId));
        Assert.All(catalog.Roles, r => Assert.True(r.CanWrite));
    }

    [Fact]
    public async Task Full_access_to_one_application_lists_only_that_application_writable()
    {
        await StartAsync();

        var catalog = await CatalogOfUserWithAsync(new() { [a.Id] = ApplicationAccess.Full });

        var only = Assert.Single(catalog.Roles);
        Assert.Equal(a.Id, only.ApplicationId);
        Assert.True(only.CanWrite);
        Assert.Null(catalog.Resolve(new RoleRoute(RoleRouteKind.Admin)));
        Assert.Null(catalog.Resolve(new RoleRoute(RoleRouteKind.Application, b.Id)));
        Assert.Equal(a.Id, catalog.DefaultRole!.ApplicationId);
    }

    [Fact]
    public async Task Read_only_access_lists_the_application_without_write()
    {
        await StartAsync();

        var catalog = await CatalogOfUserWithAsync(new() { [a.Id] = ApplicationAccess.ReadOnly });

        var only = Assert.Single(catalog.Roles);
        Assert.Equal(a.Id, only.ApplicationId);
        Assert.False(only.CanWrite);
    }

    [Fact]
    public async Task A_user_without_grants_has_no_role_and_no_default()
    {
        await StartAsync();

        var catalog = await CatalogOfUserWithAsync([]);

        Assert.True(catalog.IsEmpty);
        Assert.Null(catalog.DefaultRole);
        Assert.Null(catalog.Resolve(new RoleRoute(RoleRouteKind.Application, primary.Id)));
    }
}
