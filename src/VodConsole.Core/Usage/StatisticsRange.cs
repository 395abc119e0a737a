using System.Globalization;
using VodConsole.Core.Common;

namespace VodConsole.Core.Usage;

/// <summary>The ranges the statistics pages offer; <see cref="Custom"/> takes the dates the user picks.</summary>
public enum StatisticsPreset { Last7Days, Last30Days, Last90Days, Custom }

/// <summary>
/// A range of whole UTC days, both ends included, that statistics may be asked for: the start on or before the end,
/// nothing after today, and at most <see cref="MaxDays"/> days (the roll-ups are kept for two years).
/// </summary>
public readonly record struct StatisticsRange
{
    public const int MaxDays = 731;

    private StatisticsRange(DateOnly from, DateOnly to)
    {
        From = from;
        To = to;
    }

    public DateOnly From { get; }
    public DateOnly To { get; }

    public int Days => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> EachDay() => Enumerable.Range(0, Days).Select(From.AddDays);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The first day of the current UTC month, where "this month" figures begin.</summary>
    public static DateOnly MonthStart(TimeProvider clock) => Today(clock) is var today ? new(today.Year, today.Month, 1) : default;

    /// <summary>The last <paramref name="days"/> days, today included.</summary>
    public static StatisticsRange Last(int days, TimeProvider clock)
    {
        var today = Today(clock);
        return Create(today.AddDays(1 - days), today, clock);
    }

    public static StatisticsRange For(StatisticsPreset preset, TimeProvider clock) => preset switch
    {
        StatisticsPreset.Last7Days => Last(7, clock),
        StatisticsPreset.Last30Days => Last(30, clock),
        StatisticsPreset.Last90Days => Last(90, clock),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "A custom range needs its dates."),
    };

    /// <summary>The range [from, to], or a <see cref="DomainRuleException"/> naming the rule it breaks.</summary>
    public static StatisticsRange Create(DateOnly from, DateOnly to, TimeProvider clock)
    {
        if (from > to)
        {
            throw new DomainRuleException("The start date must be on or before the end date.", "from");
        }
        var today = Today(clock);
        if (to > today)
        {
            throw new DomainRuleException($"The range cannot end after today ({Iso(today)}, UTC).", "to");
        }
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new DomainRuleException($"A range can be at most {MaxDays} days (2 years) long.", "from");
        }
        return new StatisticsRange(from, to);
    }

    /// <summary>Reads ISO dates (yyyy-MM-dd), as the export link carries them.</summary>
    public static StatisticsRange Parse(string? from, string? to, TimeProvider clock) =>
        Create(ParseDay(from, "from"), ParseDay(to, "to"), clock);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string? text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new DomainRuleException($"'{field}' must be a date written as yyyy-MM-dd.", field);

    public override string ToString() => $"{Iso(From)} – {Iso(To)}";
}
