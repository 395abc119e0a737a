using System.Globalization;
using System.Text;
using VodConsole.Core.Configuration;
using VodConsole.Core.Roles;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Configuration;

/// <summary>
/// The configuration page's "Export JSON": an application's configuration document as a file. Administrators only, as
/// the page; anyone else, and an unknown application, gets "not found".
/// </summary>
internal static class ConfigurationEndpoints
{
    public static string ExportUrl(long applicationId) =>
        string.Create(CultureInfo.InvariantCulture, $"/admin/configuration/{applicationId}/export.json");

    public static IEndpointRouteBuilder MapConfigurationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/configuration/{appId:long}/export.json", ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, RoleResolver resolver, ConfigurationService configurations, long appId, CancellationToken ct)
    {
        if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { IsAdmin: true })
        {
            return Results.NotFound();
        }
        var document = await configurations.ExportAsync(appId, ct);
        return Results.File(Encoding.UTF8.GetBytes(document.ToJson()), "application/json; charset=utf-8",
            $"configuration-{appId}-{document.ExportedAt:yyyyMMdd-HHmmss}.json");
    }
}
