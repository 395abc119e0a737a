namespace VodConsole.Core.Common;

/// <summary>Fields of the console's CSV exports (RFC 4180).</summary>
public static class CsvField
{
    /// <summary>
    /// User text as one quoted field. A leading =, +, -, @ (or tab, carriage return) would make a spreadsheet run it
    /// as a formula, so such text gets a leading apostrophe, which spreadsheets show as plain text.
    /// </summary>
    public static string Text(string value)
    {
        var safe = value.Length > 0 && "=+-@\t\r".Contains(value[0]) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }
}
