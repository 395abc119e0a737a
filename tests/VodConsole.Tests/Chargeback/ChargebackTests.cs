using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Common;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Chargeback;

/// <summary>Chargeback: prices, statements that add up to the cent, the package split, and who sees what.</summary>
public sealed class ChargebackTests : IAsyncLifetime
{
    private const long GB = UsageUnits.BytesPerGigabyte;
    private static readonly DateOnly Today = new(2026, 4, 15);
    private static readonly DateOnly MonthStart = new(2026, 4, 1);

    private readonly TestClock clock = new(Today);
    private TestConsole console = null!;
    private long primary;
    private long a;
    private long b;

    private ChargebackService Chargeback => console.Get<ChargebackService>();

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        primary = (await applications.ListAsync()).Single(x => x.IsPrimary).Id;
        a = (await applications.CreateSubApplicationAsync("Charge A", null)).Id;
        b = (await applications.CreateSubApplicationAsync("Charge B", null)).Id;
    }

    public ValueTask DisposeAsync() => console.DisposeAsync();

    private static Dictionary<ChargeResource, decimal> Prices(decimal each) => ChargeResources.All.ToDictionary(r => r, _ => each);

    private async Task SetPricesAsync(Dictionary<ChargeResource, decimal> prices) =>
        await Chargeback.SavePricesAsync(new ChargebackPrices(prices, (await Chargeback.GetPricesAsync()).Version));

    /// <summary>Sets an application's value of a metric on a day (levels: the level from that day on).</summary>
    private async Task AddAsync(long app, UsageMetric metric, DateOnly day, long value)
    {
        await using var db = await console.OpenDbAsync();
        var row = await db.DailyUsage.SingleOrDefaultAsync(u => u.ApplicationId == app && u.Metric == metric && u.Day == day);
        if (row is null)
        {
            db.DailyUsage.Add(new DailyUsage { ApplicationId = app, Metric = metric, Day = day, Value = value });
        }
        else
        {
            row.Value = value;
        }
        await db.SaveChangesAsync();
    }

    [Theory]
    [InlineData(new[] { 0.333, 0.333, 0.333 }, 1.00, new[] { 0.34, 0.33, 0.33 })]
    [InlineData(new[] { 0.105, 0.105 }, 0.21, new[] { 0.11, 0.10 })]
    [InlineData(new[] { 1.004, 2.009, 0.0 }, 3.01, new[] { 1.00, 2.01, 0.0 })]
    [InlineData(new[] { 0.006, 0.004 }, 0.01, new[] { 0.01, 0.0 })]
    public void Largest_remainder_gives_the_leftover_cents_to_the_largest_remainders(double[] exact, double total, double[] expected)
    {
        var parts = ChargebackStatement.LargestRemainder(exact.Select(x => (decimal)x).ToList(), (decimal)total);

        Assert.Equal(expected.Select(x => (decimal)x), parts);
        Assert.Equal((decimal)total, parts.Sum());
    }

    [Fact]
    public async Task Application_totals_add_up_exactly_to_the_account_total_with_awkward_prices()
    {
        await SetPricesAsync(Prices(0.333m));
        var random = new Random(7);
        foreach (var app in new[] { primary, a, b })
        {
            for (var day = MonthStart; day <= Today; day = day.AddDays(1))
            {
                await AddAsync(app, UsageMetric.TrafficBytes, day, random.NextInt64(1, 3 * GB));
                await AddAsync(app, UsageMetric.TranscodeSecondsHd, day, random.Next(1, 1000));
                await AddAsync(app, UsageMetric.TranscodeSeconds4K, day, random.Next(1, 100));
                await AddAsync(app, UsageMetric.ReviewSeconds, day, random.Next(1, 700));
            }
            await AddAsync(app, UsageMetric.StorageBytes, MonthStart.AddDays(-3), random.NextInt64(1, 50 * GB));
            await AddAsync(app, UsageMetric.StorageBytes, MonthStart.AddDays(4), random.NextInt64(1, 50 * GB));
        }

        var statement = await Chargeback.StatementAsync(MonthStart, Today);

        Assert.Equal(Money.ToCent(statement.ExactTotal), statement.Total);
        Assert.Equal(statement.Total, statement.Applications.Sum(x => x.Total));
        Assert.All(statement.Applications, x => Assert.Equal(x.Total, x.Lines.Sum(l => l.Cost)));
        Assert.Equal(statement.Total, ChargeResources.All.Sum(statement.ColumnTotal));
        Assert.All(statement.Applications, x => Assert.True(Math.Abs(x.Total - x.ExactTotal) < 0.01m));
        Assert.All(statement.Applications.SelectMany(x => x.Lines), l => Assert.Equal(l.Quantity * l.Price, l.ExactCost));
        Assert.All(statement.Applications, x => Assert.True(x.Total > 0));
    }

    [Fact]
    public async Task Three_equal_thirds_of_a_cent_are_allocated_by_the_documented_rule()
    {
        // 1 GB of traffic at 0.333 each: exactly 0.333 per application, 0.999 for the account, rounded to 1.00.
        await SetPricesAsync(new Dictionary<ChargeResource, decimal> { [ChargeResource.Traffic] = 0.333m });
        foreach (var app in new[] { primary, a, b })
        {
            await AddAsync(app, UsageMetric.TrafficBytes, Today, GB);
        }

        var statement = await Chargeback.StatementAsync(MonthStart, Today);

        Assert.Equal(0.999m, statement.ExactTotal);
        Assert.Equal(1.00m, statement.Total);
        // Equal remainders and equal amounts: the lowest application ID gets the cent.
        var first = statement.Applications.MinBy(x => x.ApplicationId)!;
        Assert.Equal(0.34m, first.Total);
        Assert.All(statement.Applications.Where(x => x != first), x => Assert.Equal(0.33m, x.Total));
        Assert.Contains("largest remainder", ChargebackStatement.RoundingRule);
    }

    [Fact]
    public async Task Storage_is_charged_per_GB_month_from_the_level_held_each_day()
    {
        await SetPricesAsync(new Dictionary<ChargeResource, decimal> { [ChargeResource.Storage] = 3m });
        // 30 GB held from before April through the whole month of 30 days: 30 GB-months.
        await AddAsync(a, UsageMetric.StorageBytes, new DateOnly(2026, 3, 20), 30 * GB);
        await AddAsync(a, UsageMetric.StorageBytes, Today, 30 * GB); // the level row the application started with
        clock.Now = new DateTimeOffset(2026, 5, 2, 12, 0, 0, TimeSpan.Zero);

        var line = (await Chargeback.StatementAsync(MonthStart, new DateOnly(2026, 4, 30))).Applications.Single(x => x.ApplicationId == a)
            .Line(ChargeResource.Storage);

        Assert.Equal(30m, line.Quantity);
        Assert.Equal(90m, line.Cost);
    }

    [Fact]
    public async Task Consumption_is_split_into_packages_and_pay_as_you_go_by_the_days_settlement()
    {
        var yesterday = Today.AddDays(-1);
        await console.Get<PackageLedger>().RegisterAsync(PackageType.Traffic, 3 * GB, yesterday, Today.AddDays(30));
        await AddAsync(a, UsageMetric.TrafficBytes, yesterday, 4 * GB);
        await AddAsync(b, UsageMetric.TrafficBytes, yesterday, 2 * GB);
        await AddAsync(a, UsageMetric.TrafficBytes, Today, 1 * GB);
        await console.Get<PackageLedger>().SettleAsync(yesterday);

        var statement = await Chargeback.StatementAsync(yesterday, Today);
        var lineA = statement.Applications.Single(x => x.ApplicationId == a).Line(ChargeResource.Traffic);
        var lineB = statement.Applications.Single(x => x.ApplicationId == b).Line(ChargeResource.Traffic);

        // The package covered 3 of the day's 6 GB: half of each application's usage; today is not settled yet.
        Assert.Equal((5m, 2m, 2m, 1m), (lineA.Quantity, lineA.Covered, lineA.PayAsYouGo, lineA.Unsettled));
        Assert.Equal((2m, 1m, 1m, 0m), (lineB.Quantity, lineB.Covered, lineB.PayAsYouGo, lineB.Unsettled));
        Assert.Equal(yesterday, statement.SettledThrough);
    }

    [Theory]
    [InlineData(-0.01, "cannot be negative")]
    [InlineData(0.1234567, "at most 6 decimal places")]
    [InlineData(1000000.01, "at most 1,000,000")]
    public async Task Bad_prices_are_refused_with_a_clear_message_and_nothing_is_saved(double price, string message)
    {
        var prices = Prices(1m);
        prices[ChargeResource.TranscodeFhd] = (decimal)price;

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => SetPricesAsync(prices));

        Assert.Contains(message, error.Message);
        Assert.Equal(nameof(ChargeResource.TranscodeFhd), error.Field);
        Assert.All((await Chargeback.GetPricesAsync()).Prices.Values, p => Assert.Equal(0m, p));
    }

    [Fact]
    public async Task Prices_are_audited_and_a_save_over_a_newer_version_is_refused()
    {
        var read = await Chargeback.GetPricesAsync();
        await Chargeback.SavePricesAsync(new ChargebackPrices(Prices(0.5m), read.Version));

        var stale = await Assert.ThrowsAsync<DomainRuleException>(() => Chargeback.SavePricesAsync(new ChargebackPrices(Prices(0.7m), read.Version)));

        Assert.Contains("changed meanwhile", stale.Message);
        Assert.All((await Chargeback.GetPricesAsync()).Prices.Values, p => Assert.Equal(0.5m, p));
        await using var db = await console.OpenDbAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ChargebackPricesChanged);
        Assert.Contains("0.5", entry.After);
    }

    [Fact]
    public async Task An_application_user_sees_only_their_applications_cost_line_and_no_statement()
    {
        await SetPricesAsync(new Dictionary<ChargeResource, decimal> { [ChargeResource.Traffic] = 2m });
        await AddAsync(a, UsageMetric.TrafficBytes, Today, 3 * GB);
        await AddAsync(b, UsageMetric.TrafficBytes, Today, 5 * GB);
        var readOnlyA = await console.AddUserAsync("readonly-a@charge.test");
        await console.Get<UserAccessService>().SetAccessAsync(readOnlyA, false, new Dictionary<long, ApplicationAccess> { [a] = ApplicationAccess.ReadOnly });
        var asUser = await console.AsUserAsync(readOnlyA, a);
        var chargeback = asUser.GetRequiredService<ChargebackService>();

        var own = await chargeback.MonthToDateAsync(a);

        Assert.Equal((a, 6m), (own.ApplicationId, own.Total));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => chargeback.MonthToDateAsync(b));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => chargeback.StatementAsync(MonthStart, Today));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => chargeback.GetPricesAsync());
    }

    [Fact]
    public async Task The_csv_has_a_row_per_application_and_resource_and_totals_that_add_up()
    {
        await SetPricesAsync(Prices(0.333m));
        await AddAsync(a, UsageMetric.TrafficBytes, Today, GB);
        await AddAsync(b, UsageMetric.ReviewSeconds, Today, 60);

        var statement = await Chargeback.StatementAsync(MonthStart, Today);
        var lines = ChargebackCsv.Write(statement).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ChargebackCsv.Header, lines[0]);
        Assert.Equal(1 + 3 * (ChargeResources.All.Count + 1) + 1, lines.Length);
        Assert.EndsWith(",total,,,,,,,0.666,0.67", lines[^1]);
        Assert.Contains(lines, l => l.Contains($",{a},\"Charge A\",Traffic,GB,1,0,0,1,0.333,0.333,"));
    }

    [Fact]
    public async Task A_range_ending_in_the_future_or_backwards_is_refused()
    {
        var future = await Assert.ThrowsAsync<DomainRuleException>(() => Chargeback.StatementAsync(Today, Today.AddDays(1)));
        var backwards = await Assert.ThrowsAsync<DomainRuleException>(() => Chargeback.StatementAsync(Today, Today.AddDays(-1)));

        Assert.Contains("after today", future.Message);
        Assert.Contains("before its start", backwards.Message);
    }
}
