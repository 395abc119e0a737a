using System.Globalization;
using System.Text;
using VodConsole.Core.Common;

namespace VodConsole.Core.Audit;

/// <summary>The audit log as CSV: one row per entry, newest first, every text a quoted field safe for spreadsheets.</summary>
public static class AuditCsv
{
    public const string Header = "id,at_utc,actor,role,application_id,action,target,before,after";

    public static string Row(AuditEntry entry) => new StringBuilder()
        .Append(entry.Id.ToString(CultureInfo.InvariantCulture)).Append(',')
        .Append(entry.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
        .Append(CsvField.Text(entry.Actor)).Append(',')
        .Append(CsvField.Text(entry.Role)).Append(',')
        .Append(entry.ApplicationId?.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
        .Append(CsvField.Text(entry.Action)).Append(',')
        .Append(CsvField.Text(entry.Target)).Append(',')
        .Append(CsvField.Text(entry.Before ?? "")).Append(',')
        .Append(CsvField.Text(entry.After ?? ""))
        .ToString();
}
