using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Chargeback;

/// <summary>
/// One application's consumption of one resource over the range, in the price's unit: the part resource packages
/// covered, the part billed pay-as-you-go (both from the days' settlements) and the part of days not settled yet, and
/// its cost at the administrator's price, exactly and as allocated to the cent.
/// </summary>
public sealed record ChargeLine(
    ChargeResource Resource, decimal Quantity, decimal Covered, decimal PayAsYouGo, decimal Unsettled, decimal Price, decimal ExactCost, decimal Cost);

/// <summary>One application's charges; <see cref="Total"/> is its share of the account total to the cent.</summary>
public sealed record ApplicationCharge(long ApplicationId, string ApplicationName, IReadOnlyList<ChargeLine> Lines, decimal ExactTotal, decimal Total)
{
    public ChargeLine Line(ChargeResource resource) => Lines.Single(l => l.Resource == resource);
}

/// <summary>One bar of the chargeback chart: an application, or "Others" for the rest, with its cost per resource.</summary>
public sealed record ChargeBar(string Name, IReadOnlyDictionary<ChargeResource, decimal> Costs, bool IsOthers = false);

/// <summary>
/// The chargeback of a range: every application's charges, adding up to the account total to the cent
/// (<see cref="ChargebackStatement.RoundingRule"/>), and the last settled day the package split rests on.
/// </summary>
public sealed record ChargebackStatement(
    DateOnly From, DateOnly To, ChargebackPrices Prices, IReadOnlyList<ApplicationCharge> Applications, decimal ExactTotal, decimal Total,
    DateOnly? SettledThrough)
{
    /// <summary>Shown on the page and written into the CSV: how cents are allocated so that everything adds up.</summary>
    public const string RoundingRule =
        "Costs are computed exactly (decimal, no rounding) from the daily usage and the unit prices. The account total is "
        + "rounded to the cent (half away from zero). Each application gets its exact total rounded down to the cent, and the "
        + "cents left over go one each to the applications with the largest remainders (ties: larger exact total, then "
        + "lower application ID): largest remainder to the cent. Each application's resource costs are allocated the "
        + "same way to its total. So the resources add up to each application's total, and the applications to the account's.";

    public decimal ColumnTotal(ChargeResource resource) => Applications.Sum(a => a.Line(resource).Cost);

    /// <summary>
    /// The bars of the chart: the applications that cost something, largest total first; with more than
    /// <paramref name="maxBars"/>, the largest ones and "Others" adding up the rest, so the chart stays readable with 50
    /// applications (the table lists every one).
    /// </summary>
    public IReadOnlyList<ChargeBar> ChartBars(int maxBars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBars, 2);
        var charged = Applications.Where(a => a.Total > 0).OrderByDescending(a => a.Total).ThenBy(a => a.ApplicationId).ToList();
        if (charged.Count <= maxBars)
        {
            return charged.Select(a => Bar(a.ApplicationName, [a])).ToList();
        }
        var bars = charged.Take(maxBars - 1).Select(a => Bar(a.ApplicationName, [a])).ToList();
        bars.Add(Bar(UsageStatistics.OthersName, charged.Skip(maxBars - 1)) with { IsOthers = true });
        return bars;

        static ChargeBar Bar(string name, IEnumerable<ApplicationCharge> applications) =>
            new(name, ChargeResources.All.ToDictionary(r => r, r => applications.Sum(a => a.Line(r).Cost)));
    }

    /// <summary>
    /// Builds the statement from the roll-ups and the settlements, read in <paramref name="db"/> (not isolated: roll-ups
    /// and settlements belong to no one application; callers check access first). Every application that existed is listed.
    /// </summary>
    internal static async Task<ChargebackStatement> BuildAsync(VodDbContext db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rates = await db.ChargebackRates.AsNoTracking().SingleOrDefaultAsync(ct) ?? new ChargebackRates();
        var applications = await db.Applications.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        var usage = (await DailyValuesAsync(db, from, to, null, ct)).ToLookup(u => (u.ApplicationId, u.Resource));
        var settlements = await db.PackageSettlements.AsNoTracking()
            .Where(s => s.Day >= from && s.Day <= to)
            .ToDictionaryAsync(s => (s.Day, s.Type), ct);

        var exactLines = applications.Select(a => ChargeResources.All
            .Select(resource => ExactLine(resource, rates.PriceOf(resource), usage[(a.Id, resource)], settlements))
            .ToList()).ToList();
        var exactTotals = exactLines.Select(lines => lines.Sum(l => l.ExactCost)).ToList();
        var exactTotal = exactTotals.Sum();
        var total = Money.ToCent(exactTotal);
        var totals = LargestRemainder(exactTotals, total);

        var charges = applications.Select((a, i) =>
        {
            var costs = LargestRemainder(exactLines[i].Select(l => l.ExactCost).ToList(), totals[i]);
            var lines = exactLines[i].Select((l, j) => l with { Cost = costs[j] }).ToList();
            return new ApplicationCharge(a.Id, a.Name, lines, exactTotals[i], totals[i]);
        }).ToList();
        var settledThrough = await db.PackageSettlements.MaxAsync(s => (DateOnly?)s.Day, ct);
        return new ChargebackStatement(from, to, PricesOf(rates), charges, exactTotal, total, settledThrough);
    }

    /// <summary>One application's exact cost over the range (what budgets compare with), without allocating cents.</summary>
    internal static async Task<decimal> ExactCostAsync(VodDbContext db, long applicationId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rates = await db.ChargebackRates.AsNoTracking().SingleOrDefaultAsync(ct) ?? new ChargebackRates();
        var usage = await DailyValuesAsync(db, from, to, applicationId, ct);
        return usage.Sum(u => ChargeResources.Quantity(u.Resource, u.Day, u.Value) * rates.PriceOf(u.Resource));
    }

    internal static ChargebackPrices PricesOf(ChargebackRates rates) =>
        new(ChargeResources.All.ToDictionary(r => r, rates.PriceOf), rates.Version);

    /// <summary>
    /// Splits <paramref name="total"/> (a whole number of cents) over amounts that add up to about it: each gets its
    /// amount rounded down to the cent, and the cents left over go one each to the largest remainders (ties: the larger
    /// amount, then the earlier one). The parts add up to <paramref name="total"/> exactly.
    /// </summary>
    public static IReadOnlyList<decimal> LargestRemainder(IReadOnlyList<decimal> amounts, decimal total)
    {
        const decimal cent = 0.01m;
        var parts = amounts.Select(a => Math.Floor(a / cent) * cent).ToArray();
        var left = (int)((total - parts.Sum()) / cent);
        var order = amounts
            .Select((amount, index) => (Remainder: amount - parts[index], Amount: amount, Index: index))
            .OrderByDescending(x => x.Remainder).ThenByDescending(x => x.Amount).ThenBy(x => x.Index)
            .ToList();
        for (var i = 0; i < left; i++)
        {
            parts[order[i % order.Count].Index] += cent;
        }
        return parts;
    }

    private static ChargeLine ExactLine(
        ChargeResource resource, decimal price, IEnumerable<DailyValue> days, IReadOnlyDictionary<(DateOnly, PackageType), PackageSettlement> settlements)
    {
        decimal quantity = 0, covered = 0, unsettled = 0;
        foreach (var day in days)
        {
            var amount = ChargeResources.Quantity(resource, day.Day, day.Value);
            quantity += amount;
            if (!settlements.TryGetValue((day.Day, ChargeResources.PackageOf(resource)), out var settlement))
            {
                unsettled += amount;
            }
            else if (settlement.Usage > 0)
            {
                // The day's packages covered this share of the account's usage of the type; every application's
                // usage that day is covered in the same proportion (all transcoding tiers draw on Transcode packages).
                covered += amount * Math.Min(settlement.Covered, settlement.Usage) / settlement.Usage;
            }
        }
        return new ChargeLine(resource, quantity, covered, quantity - covered - unsettled, unsettled, price, quantity * price, 0);
    }

    private readonly record struct DailyValue(long ApplicationId, ChargeResource Resource, DateOnly Day, long Value);

    /// <summary>
    /// Each application's daily values of the priced metrics over [from, to]; storage is a level, carried forward from
    /// the last row before the range and over days without a row (a level held every day costs every day).
    /// </summary>
    private static async Task<List<DailyValue>> DailyValuesAsync(VodDbContext db, DateOnly from, DateOnly to, long? applicationId, CancellationToken ct)
    {
        var byMetric = ChargeResources.All.ToDictionary(ChargeResources.MetricOf);
        var metrics = byMetric.Keys.ToArray();
        var rows = db.DailyUsage.AsNoTracking().Where(u => u.Day >= from && u.Day <= to && metrics.Contains(u.Metric));
        if (applicationId is { } only)
        {
            rows = rows.Where(u => u.ApplicationId == only);
        }
        var values = (await rows.ToListAsync(ct))
            .Where(u => u.Metric != UsageMetric.StorageBytes && u.Value != 0)
            .Select(u => new DailyValue(u.ApplicationId, byMetric[u.Metric], u.Day, u.Value))
            .ToList();

        var storageRows = await db.DailyUsage.AsNoTracking()
            .Where(u => u.Metric == UsageMetric.StorageBytes && u.Day <= to && (applicationId == null || u.ApplicationId == applicationId))
            .Where(u => u.Day >= from || u.Day == db.DailyUsage
                .Where(p => p.ApplicationId == u.ApplicationId && p.Metric == UsageMetric.StorageBytes && p.Day < from)
                .Max(p => (DateOnly?)p.Day))
            .Select(u => new { u.ApplicationId, u.Day, u.Value })
            .ToListAsync(ct);
        foreach (var application in storageRows.GroupBy(r => r.ApplicationId))
        {
            var recorded = application.ToDictionary(r => r.Day, r => r.Value);
            var level = application.Where(r => r.Day < from).Select(r => r.Value).FirstOrDefault();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                level = recorded.GetValueOrDefault(day, level);
                if (level != 0)
                {
                    values.Add(new DailyValue(application.Key, ChargeResource.Storage, day, level));
                }
            }
        }
        return values;
    }
}
