using System.Globalization;

namespace VodConsole.Core.Applications;

/// <summary>The Applications page's search: a part of the name (any case) or of the ID, and an optional status.</summary>
public static class ApplicationSearch
{
    public static bool Matches(Application application, string? text, ApplicationStatus? status)
    {
        if (status is { } wanted && application.Status != wanted)
        {
            return false;
        }
        var term = text?.Trim();
        return string.IsNullOrEmpty(term)
            || application.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
            || application.Id.ToString(CultureInfo.InvariantCulture).Contains(term, StringComparison.Ordinal);
    }
}
