using System.Security.Claims;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Setup;

/// <summary>
/// The HTTP endpoints' version of what the shell does for pages: the role comes from the request's own path and counts
/// only if it is in the signed-in user's catalog. Null means "not found", whatever the reason. The request's
/// <see cref="RoleContext"/> enters the role, so the services it calls act for this user (<c>AccessPolicy</c>).
/// </summary>
internal static class EndpointRoles
{
    public static async Task<ConsoleRole?> ResolveAsync(HttpContext http, RoleResolver resolver, CancellationToken ct)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var catalog = userId is null ? null : await resolver.LoadCatalogAsync(userId, ct);
        if (catalog is null)
        {
            return null;
        }
        var role = catalog.Resolve(RoleRoute.Parse(http.Request.Path));
        http.RequestServices.GetRequiredService<RoleContext>().Enter(catalog, role);
        return role;
    }
}
