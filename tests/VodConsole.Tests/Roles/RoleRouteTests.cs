using VodConsole.Core.Roles;

namespace VodConsole.Tests.Roles;

public sealed class RoleRouteTests
{
    [Theory]
    [InlineData("/admin/overview")]
    [InlineData("admin/applications?search=x")]
    [InlineData("/ADMIN")]
    public void Admin_routes_name_the_admin_role(string path) =>
        Assert.Equal(new RoleRoute(RoleRouteKind.Admin), RoleRoute.Parse(path));

    [Theory]
    [InlineData("/apps/1500000001/overview", 1500000001)]
    [InlineData("apps/1500000001/media?page=2#top", 1500000001)]
    [InlineData("/apps/42", 42)]
    public void Application_routes_name_the_application(string path, long id) =>
        Assert.Equal(new RoleRoute(RoleRouteKind.Application, id), RoleRoute.Parse(path));

    [Theory]
    [InlineData("/apps")]
    [InlineData("/apps/abc/overview")]
    [InlineData("/apps/-5/overview")]
    [InlineData("/apps/0/overview")]
    [InlineData("/apps/99999999999999999999/overview")]
    public void Malformed_application_routes_are_invalid(string path) =>
        Assert.Equal(RoleRouteKind.Invalid, RoleRoute.Parse(path).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/not-found")]
    [InlineData("/applications")]
    public void Other_routes_name_no_role(string path) =>
        Assert.Equal(RoleRouteKind.None, RoleRoute.Parse(path).Kind);
}
