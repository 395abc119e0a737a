using VodConsole.Core.Chargeback;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Chargeback;

/// <summary>The chargeback chart with many applications: the largest ones and "Others", never a bar per application.</summary>
public sealed class ChargeBarsTests
{
    [Fact]
    public void Applications_that_cost_nothing_get_no_bar_and_the_rest_are_largest_first()
    {
        var statement = Statement(Charge(1, "Free", 0m), Charge(2, "Small", 1.5m), Charge(3, "Large", 9m));

        var bars = statement.ChartBars(8);

        Assert.Equal(["Large", "Small"], bars.Select(b => b.Name));
        Assert.Equal(9m, bars[0].Costs[ChargeResource.Traffic]);
        Assert.Equal(0m, bars[0].Costs[ChargeResource.Storage]);
    }

    [Fact]
    public void Beyond_the_limit_the_smallest_applications_add_up_to_others_per_resource()
    {
        var charges = Enumerable.Range(1, 50).Select(i => Charge(i, $"App {i}", i)).ToArray();
        var statement = Statement(charges);

        var bars = statement.ChartBars(8);

        Assert.Equal(8, bars.Count);
        Assert.Equal(["App 50", "App 49", "App 48", "App 47", "App 46", "App 45", "App 44", UsageStatistics.OthersName], bars.Select(b => b.Name));
        Assert.Equal([false, false, false, false, false, false, false, true], bars.Select(b => b.IsOthers));
        Assert.Equal(Enumerable.Range(1, 43).Sum(), bars[^1].Costs[ChargeResource.Traffic]);
        Assert.Equal(statement.ColumnTotal(ChargeResource.Traffic), bars.Sum(b => b.Costs[ChargeResource.Traffic]));
    }

    /// <summary>An application whose whole cost is traffic.</summary>
    private static ApplicationCharge Charge(long id, string name, decimal traffic) =>
        new(id, name, ChargeResources.All.Select(r => Line(r, r == ChargeResource.Traffic ? traffic : 0m)).ToList(), traffic, traffic);

    private static ChargeLine Line(ChargeResource resource, decimal cost) => new(resource, cost, 0, cost, 0, 1, cost, cost);

    private static ChargebackStatement Statement(params ApplicationCharge[] charges) =>
        new(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 15), new ChargebackPrices(ChargeResources.All.ToDictionary(r => r, _ => 1m), 1),
            charges, charges.Sum(c => c.ExactTotal), charges.Sum(c => c.Total), null);
}
