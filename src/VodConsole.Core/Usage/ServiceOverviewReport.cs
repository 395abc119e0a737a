using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;

namespace VodConsole.Core.Usage;

/// <summary>Everything the Admin Service Overview shows, computed from roll-ups only.</summary>
public sealed record ServiceOverview(
    Account Account,
    DateOnly MonthStart,
    StatisticsRange ChartRange,
    UsageFigures Totals,
    IReadOnlyList<ApplicationFigures> Applications,
    IReadOnlyList<UsagePoint> TrafficLast30Days,
    IReadOnlyList<UsagePoint> StorageLast30Days,
    DateOnly? DemoHistoryRecordedFrom);

/// <summary>One application with its figures: levels today, amounts and peak this month.</summary>
public sealed record ApplicationFigures(Application Application, UsageFigures Figures);

public sealed class ServiceOverviewReport(
    AccountService accounts,
    ApplicationService applications,
    UsageReport usage,
    TimeProvider clock)
{
    public const int ChartDays = 30;

    public async Task<ServiceOverview> LoadAsync(CancellationToken ct = default)
    {
        var chart = StatisticsRange.Last(ChartDays, clock);
        var today = chart.To;
        var monthStart = new DateOnly(today.Year, today.Month, 1);

        var account = await accounts.GetAsync(ct);
        var list = await applications.ListAsync(ct);
        var byApplication = await usage.FiguresByApplicationAsync(monthStart, today, null, ct);
        var totals = UsageReport.Totals(byApplication.Values, await usage.AccountPeakAsync(monthStart, today, ct));
        var rows = list
            .Select(a => new ApplicationFigures(a, byApplication.TryGetValue(a.Id, out var f) ? f : new UsageFigures()))
            .ToList();

        return new ServiceOverview(
            account, monthStart, chart, totals, rows,
            await usage.DailySeriesAsync(UsageMetric.TrafficBytes, chart.From, chart.To, null, ct),
            await usage.DailySeriesAsync(UsageMetric.StorageBytes, chart.From, chart.To, null, ct),
            DemoHistory.RecordedFrom(list, monthStart < chart.From ? monthStart : chart.From));
    }

    /// <summary>One application's figures for its own overview: levels today, amounts and peak this month.</summary>
    public async Task<UsageFigures> LoadForApplicationAsync(long applicationId, CancellationToken ct = default)
    {
        var figures = await usage.FiguresByApplicationAsync(StatisticsRange.MonthStart(clock), StatisticsRange.Today(clock), applicationId, ct);
        return figures.TryGetValue(applicationId, out var f) ? f : new UsageFigures();
    }
}
