using VodConsole.Core.Usage;
using VodConsole.Web.Components.Shared;

namespace VodConsole.Web.Statistics;

/// <summary>What a usage chart plots: its days and one series per application (or "Others"), in base units.</summary>
public sealed record UsageChartData(IReadOnlyList<DateOnly> Days, IReadOnlyList<UsageSeries> Series)
{
    public static UsageChartData Empty { get; } = new([], []);
}

/// <summary>The words a usage chart shows: a bar's tooltip reads "2.5 GB" over "Marketing · 2026-11-03".</summary>
public static class UsageChartText
{
    /// <summary>
    /// The tooltip of one bar, from the series' own value in base units (so a tiny value reads "&lt; 0.01 GB", not "0") and
    /// the day its axis label names; the chart labels each day with <see cref="Formats.Day"/>.
    /// </summary>
    public static (string Title, string Subtitle) Tooltip(UsageChartData data, UsageScale unit, int seriesIndex, string dayLabel)
    {
        if (seriesIndex < 0 || seriesIndex >= data.Series.Count)
        {
            return ("", dayLabel);
        }
        var series = data.Series[seriesIndex];
        var day = DateOnly.TryParseExact(dayLabel, "yyyy-MM-dd", out var parsed) ? IndexOf(data.Days, parsed) : -1;
        var value = day >= 0 && day < series.Daily.Count ? unit.Format(series.Daily[day]) : "";
        return (value, $"{series.Name} · {dayLabel}");
    }

    private static int IndexOf(IReadOnlyList<DateOnly> days, DateOnly day)
    {
        for (var i = 0; i < days.Count; i++)
        {
            if (days[i] == day) return i;
        }
        return -1;
    }
}
