using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Budgets;

/// <summary>Limits, units and the usage a budget is measured against; the check uploads and transcoding make.</summary>
public static class BudgetRules
{
    /// <summary>The thresholds announced, lowest first.</summary>
    public static IReadOnlyList<int> Levels { get; } = [80, 100];

    public const decimal MaxCapGb = 1_000_000m;
    public const int CapGbDecimals = 3;
    public const long MaxTranscodeMinutes = 10_000_000;

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    public static string Format(BudgetDimension dimension, decimal value) => dimension switch
    {
        BudgetDimension.Budget => Money.Format(value),
        BudgetDimension.Transcode => $"{(value / 60).ToString("#,##0.#", CultureInfo.InvariantCulture)} min",
        _ => UsageUnits.ScaleFor(UsageMetric.StorageBytes, (long)value).Format((long)value),
    };

    public static string DisplayName(BudgetDimension dimension) => dimension switch
    {
        BudgetDimension.Budget => "Monthly budget",
        BudgetDimension.Storage => "Storage cap",
        BudgetDimension.Traffic => "Monthly traffic cap",
        BudgetDimension.Transcode => "Monthly transcoding cap",
        _ => dimension.ToString(),
    };

    /// <summary>Checks an administrator's entry and turns it into stored units; raises the message for the first wrong value.</summary>
    public static void Apply(BudgetEdit edit, ApplicationBudget budget)
    {
        if (edit.MonthlyBudget is { } money)
        {
            Positive(money, nameof(BudgetEdit.MonthlyBudget), "monthly budget");
        }
        budget.MonthlyBudgetMicros = edit.MonthlyBudget is { } amount
            ? Money.ValidMicros(amount, Money.AmountDecimals, Money.MaxBudget, "monthly budget", nameof(BudgetEdit.MonthlyBudget))
            : null;
        budget.StorageCapBytes = Bytes(edit.StorageCapGb, nameof(BudgetEdit.StorageCapGb), "storage cap");
        budget.TrafficCapBytes = Bytes(edit.TrafficCapGb, nameof(BudgetEdit.TrafficCapGb), "traffic cap");
        if (edit.TranscodeCapMinutes is { } minutes)
        {
            Positive(minutes, nameof(BudgetEdit.TranscodeCapMinutes), "transcoding cap");
            if (minutes > MaxTranscodeMinutes)
            {
                throw new DomainRuleException($"The transcoding cap can be at most {MaxTranscodeMinutes:N0} minutes.", nameof(BudgetEdit.TranscodeCapMinutes));
            }
        }
        budget.TranscodeCapSeconds = edit.TranscodeCapMinutes * 60;
        budget.StopAtLimit = edit.StopAtLimit;
    }

    public static BudgetEdit EditOf(ApplicationBudget? budget) => budget is null
        ? new BudgetEdit(null, null, null, null, false, 0)
        : new BudgetEdit(
            budget.MonthlyBudgetMicros is { } micros ? Money.FromMicros(micros) : null,
            budget.StorageCapBytes / (decimal)UsageUnits.BytesPerGigabyte,
            budget.TrafficCapBytes / (decimal)UsageUnits.BytesPerGigabyte,
            budget.TranscodeCapSeconds / 60,
            budget.StopAtLimit,
            budget.Version);

    /// <summary>
    /// The application's limits and its usage against each as of <paramref name="today"/>: the cost and traffic and
    /// transcoding output from the first of the month through today, the storage held today. <paramref name="db"/>
    /// must see the application's budget (isolated to it, or system-wide).
    /// </summary>
    internal static async Task<BudgetStatus> StatusAsync(
        VodDbContext db, long applicationId, string applicationName, DateOnly today, CancellationToken ct)
    {
        var budget = await db.ApplicationBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.ApplicationId == applicationId, ct);
        return await StatusAsync(db, applicationId, applicationName, budget, today, ct);
    }

    internal static async Task<BudgetStatus> StatusAsync(
        VodDbContext db, long applicationId, string applicationName, ApplicationBudget? budget, DateOnly today, CancellationToken ct)
    {
        var month = MonthOf(today);
        var meters = new List<BudgetMeter>();
        if (budget?.MonthlyBudgetMicros is { } money)
        {
            meters.Add(new(BudgetDimension.Budget, await ChargebackStatement.ExactCostAsync(db, applicationId, month, today, ct), Money.FromMicros(money)));
        }
        if (budget?.StorageCapBytes is { } storage)
        {
            var held = await db.DailyUsage
                .Where(u => u.ApplicationId == applicationId && u.Metric == UsageMetric.StorageBytes && u.Day <= today)
                .OrderByDescending(u => u.Day).Select(u => u.Value).FirstOrDefaultAsync(ct);
            meters.Add(new(BudgetDimension.Storage, held, storage));
        }
        if (budget?.TrafficCapBytes is { } traffic)
        {
            meters.Add(new(BudgetDimension.Traffic, await MonthSumAsync(db, applicationId, UsageMetric.TrafficBytes, month, today, ct), traffic));
        }
        if (budget?.TranscodeCapSeconds is { } transcode)
        {
            meters.Add(new(BudgetDimension.Transcode, await MonthSumAsync(db, applicationId, UsageMetric.TranscodeSeconds, month, today, ct), transcode));
        }
        return new BudgetStatus(applicationId, applicationName, EditOf(budget), meters, month);
    }

    /// <summary>
    /// Refuses new uploads and transcoding of an application that used up a limit with "stop at the limit" on: until
    /// the month ends (budget, traffic, transcoding), storage drops below its cap, or an administrator raises the limit.
    /// Cheap when no such budget exists (one key lookup). Playback never asks.
    /// </summary>
    internal static async Task RefuseIfStoppedAsync(VodDbContext db, long applicationId, TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var budget = await db.ApplicationBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.ApplicationId == applicationId && b.StopAtLimit, ct);
        if (budget is null)
        {
            return;
        }
        var status = await StatusAsync(db, applicationId, "", budget, today, ct);
        if (status.Stopping is { } meter)
        {
            throw new QuotaExceededException(meter.Dimension, StoppedMessage(meter));
        }
    }

    public static string StoppedMessage(BudgetMeter meter)
    {
        var until = meter.Dimension == BudgetDimension.Storage
            ? "until media is deleted or an administrator raises the cap"
            : "until the month ends (UTC) or an administrator raises the limit";
        return $"This application has reached its {DisplayName(meter.Dimension).ToLowerInvariant()} ({meter.UsedText} of {meter.LimitText}): "
            + $"uploads and transcoding are stopped {until}. Playback continues.";
    }

    private static Task<long> MonthSumAsync(VodDbContext db, long applicationId, UsageMetric metric, DateOnly month, DateOnly today, CancellationToken ct) =>
        db.DailyUsage.Where(u => u.ApplicationId == applicationId && u.Metric == metric && u.Day >= month && u.Day <= today).SumAsync(u => u.Value, ct);

    private static long? Bytes(decimal? gigabytes, string field, string what)
    {
        if (gigabytes is not { } value)
        {
            return null;
        }
        Positive(value, field, what);
        if (value > MaxCapGb)
        {
            throw new DomainRuleException($"The {what} can be at most {MaxCapGb:N0} GB.", field);
        }
        if (Money.DecimalPlaces(value) > CapGbDecimals)
        {
            throw new DomainRuleException($"The {what} can have at most {CapGbDecimals} decimal places (1 MB steps).", field);
        }
        return (long)(value * UsageUnits.BytesPerGigabyte);
    }

    private static void Positive(decimal value, string field, string what)
    {
        if (value <= 0)
        {
            throw new DomainRuleException($"Enter a {what} greater than zero, or leave it empty for none.", field);
        }
    }
}
