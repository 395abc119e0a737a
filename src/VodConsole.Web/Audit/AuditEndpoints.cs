using System.Text;
using VodConsole.Core.Audit;
using VodConsole.Core.Roles;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Audit;

/// <summary>
/// The audit log's CSV exports, streamed, with the page's filters: the whole log for Admin, one application's entries for
/// those with full access to it. Any other role is "not found".
/// </summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/audit/export.csv", ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        endpoints.MapGet("/apps/{appId:long}/audit/export.csv", ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, RoleResolver resolver, AuditLog audit, TimeProvider clock,
        string? actor, string? app, string? action, string? from, string? to, CancellationToken ct)
    {
        var role = await EndpointRoles.ResolveAsync(http, resolver, ct);
        if (role is null || !role.CanWrite)
        {
            return Results.NotFound();
        }
        var query = AuditQuery.Parse(actor, app, action, from, to);
        if (!role.IsAdmin)
        {
            query = query with { ApplicationId = role.ApplicationId }; // an application's export is that application's only
        }
        // The first step checks access, before any header of the download is set (a refusal answers 404, RefusedAsNotFound).
        await using var entries = audit.AllAsync(query, ct).GetAsyncEnumerator(ct);
        var more = await entries.MoveNextAsync();
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await writer.WriteAsync(AuditCsv.Header + "\r\n");
        for (; more; more = await entries.MoveNextAsync())
        {
            await writer.WriteAsync(AuditCsv.Row(entries.Current) + "\r\n");
        }
        return Results.Empty;
    }
}
