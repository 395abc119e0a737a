using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Roles;

public sealed class RoleResolverTests
{
    [Fact]
    public async Task Before_sub_applications_are_enabled_the_only_role_is_the_primary_application()
    {
        await using var console = await TestConsole.StartAsync();
        var userId = await console.AddUserAsync("owner@vod.test", isOwner: true);

        var catalog = (await console.Get<RoleResolver>().LoadCatalogAsync(userId))!;

        var only = Assert.Single(catalog.Roles);
        Assert.True(only.IsPrimary);
        Assert.False(catalog.HasSwitcher);
        Assert.Null(catalog.Resolve(new RoleRoute(RoleRouteKind.Admin)));
        Assert.Equal(only, catalog.DefaultRole);
    }

    [Fact]
    public async Task After_enabling_the_roles_are_admin_then_primary_then_sub_applications_by_name()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        await applications.CreateSubApplicationAsync("Zeta", null);
        await applications.CreateSubApplicationAsync("alpha", null);

        var catalog = (await console.Get<RoleResolver>().LoadCatalogAsync(ownerId))!;

        Assert.True(catalog.HasSwitcher);
        Assert.Equal(["Admin", catalog.Roles.Single(r => r.IsPrimary).Name, "alpha", "Zeta"], catalog.Roles.Select(r => r.Name));
        Assert.Equal(ConsoleRole.Admin, catalog.Resolve(new RoleRoute(RoleRouteKind.Admin)));
    }

    [Fact]
    public async Task Routes_resolve_to_the_primary_a_sub_application_or_nothing()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.EnableSubApplicationsAsync();
        var sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        var catalog = (await console.Get<RoleResolver>().LoadCatalogAsync(ownerId))!;

        var primary = catalog.Resolve(new RoleRoute(RoleRouteKind.Application, catalog.Roles.Single(r => r.IsPrimary).ApplicationId!.Value));
        var resolvedSub = catalog.Resolve(RoleRoute.Parse($"/apps/{sub.Id}/overview"));

        Assert.True(primary!.IsPrimary);
        Assert.Equal(sub.Id, resolvedSub!.ApplicationId);
        Assert.Equal("Customer A", resolvedSub.Name);
        Assert.Null(catalog.Resolve(RoleRoute.Parse("/apps/1234567890/overview")));
        Assert.Null(catalog.Resolve(RoleRoute.Parse("/apps/abc/overview")));
        Assert.Null(catalog.Resolve(RoleRoute.Parse("/Account/Login")));
    }

    [Fact]
    public async Task A_disabled_application_still_resolves_and_is_marked_disabled()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.EnableSubApplicationsAsync();
        var sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Archive", null);
        await using (var db = await console.OpenDbAsync())
        {
            await db.Applications.Where(a => a.Id == sub.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, ApplicationStatus.Disabled));
        }

        var catalog = (await console.Get<RoleResolver>().LoadCatalogAsync(ownerId))!;
        var role = catalog.Resolve(new RoleRoute(RoleRouteKind.Application, sub.Id));

        Assert.NotNull(role);
        Assert.True(role.IsDisabled);
    }

    [Fact]
    public async Task The_default_role_is_the_last_one_remembered_else_admin()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.EnableSubApplicationsAsync();
        var sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Remembered", null);
        var resolver = console.Get<RoleResolver>();

        var first = (await resolver.LoadCatalogAsync(ownerId))!;
        await resolver.RememberLastRoleAsync(ownerId, first.Roles.Single(r => r.ApplicationId == sub.Id));
        var later = (await console.Get<RoleResolver>().LoadCatalogAsync(ownerId))!;

        Assert.True(first.DefaultRole!.IsAdmin);
        Assert.Equal(sub.Id, later.DefaultRole!.ApplicationId);
    }

    [Fact]
    public async Task A_remembered_role_that_no_longer_exists_falls_back()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.AddUserAsync("owner@vod.test", isOwner: true);
        await using (var db = await console.OpenDbAsync())
        {
            await db.Users.ExecuteUpdateAsync(set => set.SetProperty(u => u.LastRole, "1999999999"));
        }

        var catalog = (await console.Get<RoleResolver>().LoadCatalogAsync(ownerId))!;

        Assert.True(catalog.DefaultRole!.IsPrimary);
    }

    [Fact]
    public async Task An_unknown_user_has_no_catalog()
    {
        await using var console = await TestConsole.StartAsync();

        Assert.Null(await console.Get<RoleResolver>().LoadCatalogAsync("no-such-user"));
    }

    [Fact]
    public async Task A_fresh_catalog_differs_from_the_shown_one_exactly_when_the_user_s_roles_changed()
    {
        await using var console = await TestConsole.StartAsync();
        var ownerId = await console.EnableSubApplicationsAsync();
        var sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        var userId = await console.AddUserAsync("user@vod.test");
        var resolver = console.Get<RoleResolver>();
        var shown = (await resolver.LoadCatalogAsync(userId))!;

        await resolver.RememberLastRoleAsync(ownerId, ConsoleRole.Admin);
        Assert.True(shown.OffersTheSameAs(await resolver.LoadCatalogAsync(userId)));

        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new VodConsole.Core.Access.ApplicationGrant { UserId = userId, ApplicationId = sub.Id, Access = VodConsole.Core.Access.ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var granted = (await resolver.LoadCatalogAsync(userId))!;
        Assert.False(shown.OffersTheSameAs(granted));

        await resolver.RememberLastRoleAsync(userId, granted.Roles.Single());
        Assert.True(granted.OffersTheSameAs(await resolver.LoadCatalogAsync(userId)));

        await using (var db = await console.OpenDbAsync())
        {
            await db.ApplicationGrants.ExecuteUpdateAsync(set => set.SetProperty(g => g.Access, VodConsole.Core.Access.ApplicationAccess.Full));
        }
        Assert.False(granted.OffersTheSameAs(await resolver.LoadCatalogAsync(userId)));
        Assert.False(granted.OffersTheSameAs(null));
    }
}
