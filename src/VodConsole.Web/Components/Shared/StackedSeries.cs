using MudBlazor;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Components.Shared;

/// <summary>
/// Turns per-day, per-application points into chart series: the applications with the largest totals each get a
/// series, the rest are added up as "Others", so a chart stays readable with fifty applications.
/// </summary>
public sealed record StackedSeries(string[] Labels, List<ChartSeries<double>> Series)
{
    public const string OthersName = "Others";

    public static StackedSeries Build(
        IReadOnlyList<UsagePoint> points, IReadOnlyDictionary<long, string> names, DateOnly from, DateOnly to,
        int top, Func<long, double> scale)
    {
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToArray();
        var leaders = points.GroupBy(p => p.ApplicationId)
            .OrderByDescending(g => g.Sum(p => p.Value)).ThenBy(g => g.Key)
            .Select(g => g.Key).Take(top).ToHashSet();
        var othersExist = points.Any(p => !leaders.Contains(p.ApplicationId));

        const long others = -1; // keyed by ID, so an application called "Others" stays apart
        var values = new Dictionary<long, double[]>();
        foreach (var point in points)
        {
            var key = leaders.Contains(point.ApplicationId) ? point.ApplicationId : others;
            if (!values.TryGetValue(key, out var perDay))
            {
                values[key] = perDay = new double[days.Length];
            }
            perDay[point.Day.DayNumber - from.DayNumber] += scale(point.Value);
        }

        string NameOf(long id) => id == others ? OthersName : names.GetValueOrDefault(id, id.ToString());
        var ordered = values.Keys.Where(k => k != others).OrderBy(NameOf, StringComparer.OrdinalIgnoreCase).ToList();
        if (othersExist)
        {
            ordered.Add(others);
        }
        return new StackedSeries(
            days.Select(d => d.ToString("MM-dd")).ToArray(),
            ordered.Select(id => new ChartSeries<double> { Name = NameOf(id), Data = new ChartData<double>(values[id]) }).ToList());
    }
}
