using VodConsole.Core.Chargeback;
using VodConsole.Core.Common;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Budgets;

/// <summary>What a budget limits: the month's cost, the storage held, the month's traffic and transcoding output.</summary>
public enum BudgetDimension { Budget, Storage, Traffic, Transcode }

/// <summary>
/// An application's monthly budget and quotas, set by an administrator. Every limit is optional (null: none). Money is
/// stored in whole micro-units and sizes in bytes and seconds, as 64-bit integers (see <see cref="ChargebackRates"/>
/// for why not decimal columns). A month is a UTC calendar month.
/// </summary>
public sealed class ApplicationBudget : IApplicationOwned, IVersioned
{
    public long ApplicationId { get; set; }

    /// <summary>The most the month's usage may cost at the chargeback prices.</summary>
    public long? MonthlyBudgetMicros { get; set; }
    /// <summary>The most storage the application may hold (a level, not a monthly amount).</summary>
    public long? StorageCapBytes { get; set; }
    public long? TrafficCapBytes { get; set; }
    /// <summary>The most transcoding output per month (all tiers), in seconds.</summary>
    public long? TranscodeCapSeconds { get; set; }

    /// <summary>At 100 % of any limit the application stops accepting uploads and transcoding (playback continues).</summary>
    public bool StopAtLimit { get; set; }

    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// That an application's usage reached a level (80 or 100 %) of one limit in one month and was announced (audit entry,
/// <c>BudgetThreshold</c> callback). Its key makes each announcement happen once per month and level, whatever server
/// or evaluation finds it first.
/// </summary>
public sealed class BudgetNotice : IApplicationOwned
{
    public long ApplicationId { get; set; }
    /// <summary>The first day of the UTC month.</summary>
    public DateOnly Month { get; set; }
    public BudgetDimension Dimension { get; set; }
    public int Level { get; set; }
    public DateTime NotifiedAt { get; set; }
}

/// <summary>What an administrator enters: limits in the page's units (money, GB, minutes); null or empty means no limit.</summary>
public sealed record BudgetEdit(
    decimal? MonthlyBudget, decimal? StorageCapGb, decimal? TrafficCapGb, long? TranscodeCapMinutes, bool StopAtLimit, long Version);

/// <summary>One limit and the usage against it, in base units (money, bytes, seconds).</summary>
public sealed record BudgetMeter(BudgetDimension Dimension, decimal Used, decimal Limit)
{
    public decimal Percent => Limit == 0 ? 0 : Used * 100 / Limit;

    /// <summary>The highest threshold reached: 0, 80 or 100.</summary>
    public int Level => BudgetRules.Levels.Where(level => Percent >= level).DefaultIfEmpty(0).Max();

    public string UsedText => BudgetRules.Format(Dimension, Used);
    public string LimitText => BudgetRules.Format(Dimension, Limit);
}

/// <summary>An application's limits and its usage this month against each.</summary>
public sealed record BudgetStatus(long ApplicationId, string ApplicationName, BudgetEdit Edit, IReadOnlyList<BudgetMeter> Meters, DateOnly Month)
{
    public bool HasLimits => Meters.Count > 0;

    /// <summary>The limit that stops uploads and transcoding now, if the budget says to stop and one is used up.</summary>
    public BudgetMeter? Stopping => Edit.StopAtLimit ? Meters.FirstOrDefault(m => m.Level >= 100) : null;

    /// <summary>The limits at 80 % or more: what the banner shows.</summary>
    public IReadOnlyList<BudgetMeter> Alerts => Meters.Where(m => m.Level >= BudgetRules.Levels[0]).ToList();
}

/// <summary>
/// An upload or transcoding refused because the application used up a limit with "stop at the limit" on. The server
/// API answers it with <see cref="Code"/> (<c>QuotaExceeded.Budget</c>, <c>.Storage</c>, <c>.Traffic</c>, <c>.Transcode</c>).
/// </summary>
public sealed class QuotaExceededException(BudgetDimension dimension, string message) : DomainRuleException(message)
{
    public BudgetDimension Dimension { get; } = dimension;
    public string Code => $"QuotaExceeded.{Dimension}";
}
