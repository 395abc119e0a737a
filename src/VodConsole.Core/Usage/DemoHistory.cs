using VodConsole.Core.Applications;

namespace VodConsole.Core.Usage;

/// <summary>
/// Where figures are generated rather than recorded: the demo seeder gives each demo application plays, traffic and
/// peak bandwidth for the days before the application was created (<see cref="Setup.DemoDataSeeder"/>). An application
/// cannot have served anything before it existed, so those days, and only those, are demo history; the pages that show
/// them say so with <see cref="RecordedFrom"/>.
/// </summary>
public static class DemoHistory
{
    /// <summary>The metrics the seeder generates; every other figure of a demo application is recorded.</summary>
    public static IReadOnlySet<UsageMetric> Metrics { get; } =
        new HashSet<UsageMetric> { UsageMetric.Plays, UsageMetric.TrafficBytes, UsageMetric.PeakBandwidthBps };

    /// <summary>
    /// The day from which every figure is recorded, when figures of <paramref name="applications"/> from
    /// <paramref name="from"/> on include demo history (of <paramref name="metric"/>, or of any metric when null); else null.
    /// </summary>
    public static DateOnly? RecordedFrom(IEnumerable<Application> applications, DateOnly from, UsageMetric? metric = null) =>
        applications.Select(a => GeneratedBefore(a, metric)).Where(created => created > from).Max();

    /// <summary>
    /// The day before which <paramref name="application"/>'s figures of <paramref name="metric"/> (or of any metric when
    /// null) are generated: its creation day when it is a demo application; else null, as all its figures are recorded.
    /// </summary>
    public static DateOnly? GeneratedBefore(Application application, UsageMetric? metric = null) =>
        application.IsDemo && (metric is not { } m || Metrics.Contains(m)) ? DateOnly.FromDateTime(application.CreatedAt) : null;
}
