using System.Globalization;

namespace VodConsole.Core.Roles;

public enum RoleRouteKind
{
    /// <summary>The route names no role (sign-in, "/", an unknown page).</summary>
    None,
    Admin,
    Application,
    /// <summary>The route is under <c>/apps/</c> but names no valid application ID.</summary>
    Invalid,
}

/// <summary>The role a console route names: <c>/admin/...</c> or <c>/apps/{appId}/...</c>.</summary>
public readonly record struct RoleRoute(RoleRouteKind Kind, long ApplicationId = 0)
{
    public static RoleRoute Parse(string path)
    {
        var end = path.IndexOfAny(['?', '#']);
        var segments = (end < 0 ? path : path[..end]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return new(RoleRouteKind.None);
        }
        if (segments[0].Equals("admin", StringComparison.OrdinalIgnoreCase))
        {
            return new(RoleRouteKind.Admin);
        }
        if (!segments[0].Equals("apps", StringComparison.OrdinalIgnoreCase))
        {
            return new(RoleRouteKind.None);
        }
        return segments.Length > 1
            && long.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && id > 0
            ? new(RoleRouteKind.Application, id)
            : new(RoleRouteKind.Invalid);
    }
}
