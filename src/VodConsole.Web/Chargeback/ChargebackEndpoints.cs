using System.Globalization;
using System.Text;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Common;
using VodConsole.Core.Roles;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Chargeback;

/// <summary>
/// The chargeback page's "Download CSV": the statement of the range the page shows (<c>from</c>, <c>to</c>: yyyy-MM-dd,
/// UTC). Administrators only; anyone else gets "not found", as for the page.
/// </summary>
internal static class ChargebackEndpoints
{
    public const string ExportPath = "/admin/chargeback/export.csv";

    public static string ExportUrl(DateOnly from, DateOnly to) =>
        $"{ExportPath}?from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static IEndpointRouteBuilder MapChargebackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, ExportAsync).RequireAuthorization().RefusalsAnswerNotFound();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, RoleResolver resolver, ChargebackService chargeback, string? from, string? to, CancellationToken ct)
    {
        if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { IsAdmin: true })
        {
            return Results.NotFound();
        }
        if (!TryDay(from, out var first) || !TryDay(to, out var last))
        {
            return BadRequest("Give the range as from=yyyy-MM-dd&to=yyyy-MM-dd (UTC days).");
        }
        ChargebackStatement statement;
        try
        {
            statement = await chargeback.StatementAsync(first, last, ct);
        }
        catch (DomainRuleException rule) when (rule.Field is not null)
        {
            return BadRequest(rule.Message);
        }
        var fileName = $"chargeback-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.csv";
        return Results.File(Encoding.UTF8.GetBytes(ChargebackCsv.Write(statement)), "text/csv; charset=utf-8", fileName);
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static IResult BadRequest(string message) =>
        Results.Text(message, "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);
}
