using System.Text;
using VodConsole.Core.Common;
using VodConsole.Core.Roles;
using VodConsole.Core.Usage;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Statistics;

/// <summary>
/// The CSV export behind the statistics pages' "Download CSV" link. A plain GET, so the browser downloads it; it
/// resolves the role from its own path as the console shell does, and answers 404 for a role the user may not use.
/// </summary>
internal static class StatisticsEndpoints
{
    public static IEndpointRouteBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/statistics/export.csv", ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        endpoints.MapGet("/apps/{appId:long}/statistics/export.csv", ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, RoleResolver resolver, StatisticsService statistics, TimeProvider clock,
        string? metric, string? from, string? to, CancellationToken ct)
    {
        // Never trust the route's ID: only a role in the user's catalog counts, and any other is "not found".
        if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { } role)
        {
            return Results.NotFound();
        }

        StatisticsQuery query;
        try
        {
            query = StatisticsQuery.Parse(metric, from, to, clock);
        }
        catch (DomainRuleException rule)
        {
            return Results.Text(rule.Message, "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);
        }

        var loaded = await statistics.LoadAsync(query, role.ApplicationId, ct);
        var fileName = $"statistics-{role.Key}-{query.Metric}-{StatisticsRange.Iso(query.Range.From)}-{StatisticsRange.Iso(query.Range.To)}.csv";
        return Results.File(Encoding.UTF8.GetBytes(StatisticsCsv.Write(loaded)), "text/csv; charset=utf-8", fileName);
    }
}
