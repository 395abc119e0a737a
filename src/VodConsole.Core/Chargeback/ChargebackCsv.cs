using System.Globalization;
using System.Text;
using VodConsole.Core.Common;

namespace VodConsole.Core.Chargeback;

/// <summary>
/// The CSV export of a <see cref="ChargebackStatement"/>: one row per application and resource, a total row per
/// application and one for the account (RFC 4180, comma-separated, CRLF line ends). Quantities and exact costs have
/// six decimals; <c>cost</c> is the allocated amount to the cent, so the column adds up like the page.
/// </summary>
public static class ChargebackCsv
{
    public const string Header =
        "from,to,application_id,application_name,resource,unit,quantity,package_covered,pay_as_you_go,unsettled,unit_price,exact_cost,cost";

    public static string Write(ChargebackStatement statement)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        void Row(string applicationId, string name, string resource, string unit, ChargeLine? line, decimal exact, decimal cost) =>
            csv.Append(Day(statement.From)).Append(',').Append(Day(statement.To)).Append(',')
                .Append(applicationId).Append(',').Append(CsvField.Text(name)).Append(',')
                .Append(resource).Append(',').Append(unit).Append(',')
                .Append(Number(line?.Quantity)).Append(',').Append(Number(line?.Covered)).Append(',')
                .Append(Number(line?.PayAsYouGo)).Append(',').Append(Number(line?.Unsettled)).Append(',')
                .Append(Number(line?.Price)).Append(',').Append(Number(exact)).Append(',')
                .Append(cost.ToString("0.00", CultureInfo.InvariantCulture)).Append("\r\n");

        foreach (var application in statement.Applications)
        {
            var id = application.ApplicationId.ToString(CultureInfo.InvariantCulture);
            foreach (var line in application.Lines)
            {
                Row(id, application.ApplicationName, line.Resource.ToString(), ChargeResources.Unit(line.Resource), line, line.ExactCost, line.Cost);
            }
            Row(id, application.ApplicationName, "total", "", null, application.ExactTotal, application.Total);
        }
        Row("", "Account", "total", "", null, statement.ExactTotal, statement.Total);
        return csv.ToString();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal? value) =>
        value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture) : "";
}
