using System.Globalization;
using System.Text;
using VodConsole.Core.Common;

namespace VodConsole.Core.Usage;

/// <summary>
/// The CSV export of <see cref="UsageStatistics"/>: a header, then one row per day and application with the value in
/// the metric's base unit as a plain integer (RFC 4180, comma-separated, CRLF line ends), and its source: "recorded",
/// or "demo" for generated demo history (<see cref="DemoHistory"/>), so a spreadsheet can leave it out as the pages do.
/// </summary>
public static class StatisticsCsv
{
    public const string Header = "date,application_id,application_name,metric,value,source";

    public static string Write(UsageStatistics statistics)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        var byId = statistics.Applications.OrderBy(a => a.ApplicationId).ToList();
        for (var day = 0; day < statistics.Days.Count; day++)
        {
            foreach (var application in byId)
            {
                csv.Append(StatisticsRange.Iso(statistics.Days[day])).Append(',')
                    .Append(application.ApplicationId.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(CsvField.Text(application.ApplicationName)).Append(',')
                    .Append(statistics.Metric).Append(',')
                    .Append(application.Daily[day].ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(application.IsDemoHistory(statistics.Days[day]) ? "demo" : "recorded").Append("\r\n");
            }
        }
        return csv.ToString();
    }
}
