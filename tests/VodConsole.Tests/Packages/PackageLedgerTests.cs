using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Packages;

public sealed class PackageLedgerTests : IAsyncLifetime
{
    private const long GB = PackageRules.BytesPerGigabyte;
    private static readonly DateOnly Today = new(2026, 4, 15);
    private static readonly DateOnly Day1 = new(2026, 4, 1);
    private static readonly DateOnly Day2 = Day1.AddDays(1);

    private readonly TestClock clock = new(new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
    private TestConsole console = null!;
    private long primaryApp;

    private PackageLedger Ledger => console.Get<PackageLedger>();

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        primaryApp = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
    }

    public ValueTask DisposeAsync() => console.DisposeAsync();

    [Theory]
    [InlineData(PackageType.Traffic, 0L, 0, 30, "Amount", "greater than zero")]
    [InlineData(PackageType.Review, -60L, 0, 30, "Amount", "greater than zero")]
    [InlineData(PackageType.Storage, PackageRules.MaxTerabytes * PackageRules.BytesPerTerabyte + 1, 0, 30, "Amount", "at most 1,024 TB")]
    [InlineData(PackageType.Transcode, PackageRules.MaxMinutes * 60 + 1, 0, 30, "Amount", "at most 10,000,000 minutes")]
    [InlineData(PackageType.Traffic, 100L, 10, 5, "ExpiresOn", "cannot be before the start date")]
    [InlineData(PackageType.Traffic, 100L, -60, -1, "ExpiresOn", "already expired")]
    [InlineData(PackageType.Traffic, 100L, 0, 3 * 366 + 1, "ExpiresOn", "at most 3 years")]
    [InlineData(PackageType.Traffic, 100L, 400, 500, "StartsOn", "at most 1 year from today")]
    [InlineData((PackageType)42, 100L, 0, 30, "Type", "Choose the package type")]
    public async Task Registration_refuses_a_purchase_that_breaks_a_rule_and_keeps_nothing(
        PackageType type, long amount, int startOffset, int expiryOffset, string field, string message)
    {
        var error = await Assert.ThrowsAsync<DomainRuleException>(() =>
            Ledger.RegisterAsync(type, amount, Today.AddDays(startOffset), Today.AddDays(expiryOffset)));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
        Assert.Empty((await Ledger.GetLedgerAsync()).Packages);
    }

    [Fact]
    public async Task A_registered_package_is_effective_with_its_whole_amount_left()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 500 * GB, Today, Today.AddDays(30));

        var line = Assert.Single((await Ledger.GetLedgerAsync()).Packages);

        Assert.Equal((PackageType.Traffic, 500 * GB, 0L, 500 * GB), (line.Type, line.Amount, line.Used, line.Left));
        Assert.Equal(PackageStatus.Effective, line.Status);
        Assert.False(line.NotStartedYet);
    }

    [Fact]
    public async Task A_package_is_expired_the_day_after_its_expiry_date()
    {
        await Ledger.RegisterAsync(PackageType.Review, 600, Today, Today.AddDays(3));

        clock.Now = clock.Now.AddDays(3);
        var onExpiryDay = Single(await Ledger.GetLedgerAsync()).Status;
        clock.Now = clock.Now.AddDays(1);
        var dayAfter = Single(await Ledger.GetLedgerAsync()).Status;

        Assert.Equal(PackageStatus.Effective, onExpiryDay);
        Assert.Equal(PackageStatus.Expired, dayAfter);
    }

    [Fact]
    public async Task A_package_with_nothing_left_is_exhausted()
    {
        await Ledger.RegisterAsync(PackageType.Transcode, 600, Day1, Today.AddDays(30));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TranscodeSeconds, 900, Day1);

        await Ledger.SettleAsync(Day1);

        var line = Single(await Ledger.GetLedgerAsync());
        Assert.Equal((600L, 0L, PackageStatus.Exhausted), (line.Used, line.Left, line.Status));
    }

    [Fact]
    public async Task Packages_are_frozen_under_monthly_billing_and_unfrozen_after_switching_back_to_daily()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 100 * GB, Day1, Today.AddDays(30));
        await Ledger.RegisterAsync(PackageType.Storage, 100 * GB, Day1, Today);

        await SetBillingModeAsync(BillingMode.Monthly);
        var monthly = (await Ledger.GetLedgerAsync()).Packages.Select(p => p.Status);
        clock.Now = clock.Now.AddDays(1); // the storage package's validity has ended meanwhile
        await SetBillingModeAsync(BillingMode.Daily);
        var daily = (await Ledger.GetLedgerAsync()).Packages.ToDictionary(p => p.Type, p => p.Status);

        Assert.All(monthly, status => Assert.Equal(PackageStatus.Frozen, status));
        Assert.Equal(PackageStatus.Effective, daily[PackageType.Traffic]);
        Assert.Equal(PackageStatus.Expired, daily[PackageType.Storage]);
    }

    [Fact]
    public async Task A_package_bought_to_start_later_is_shown_as_not_started_and_is_not_used_before_its_start()
    {
        clock.Now = new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day2, Day2.AddDays(30));
        var beforeStart = Single(await Ledger.GetLedgerAsync());
        clock.Now = clock.Now.AddDays(2);
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 3 * GB, Day1);
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 4 * GB, Day2);

        await Ledger.SettleThroughAsync(Day2);

        Assert.Equal((PackageStatus.Effective, true), (beforeStart.Status, beforeStart.NotStartedYet));
        Assert.Equal(4 * GB, Single(await Ledger.GetLedgerAsync()).Used);
        Assert.Equal(3 * GB, (await SettlementAsync(Day1, PackageType.Traffic)).PayAsYouGo);
    }

    [Fact]
    public async Task Usage_is_taken_from_the_package_that_expires_first()
    {
        var later = await Ledger.RegisterAsync(PackageType.Traffic, 100 * GB, Day1, Today.AddDays(60));
        var sooner = await Ledger.RegisterAsync(PackageType.Traffic, 100 * GB, Day1, Today.AddDays(10));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 30 * GB, Day1);

        await Ledger.SettleAsync(Day1);

        var used = (await Ledger.GetLedgerAsync()).Packages.ToDictionary(p => p.Id, p => p.Used);
        Assert.Equal(30 * GB, used[sooner.Id]);
        Assert.Equal(0, used[later.Id]);
    }

    [Fact]
    public async Task Usage_spills_over_to_the_next_package_when_the_first_runs_out()
    {
        var sooner = await Ledger.RegisterAsync(PackageType.Review, 600, Day1, Today.AddDays(10));
        var later = await Ledger.RegisterAsync(PackageType.Review, 6000, Day1, Today.AddDays(60));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.ReviewSeconds, 1000, Day1);

        await Ledger.SettleAsync(Day1);

        var lines = (await Ledger.GetLedgerAsync()).Packages.ToDictionary(p => p.Id);
        Assert.Equal((600L, PackageStatus.Exhausted), (lines[sooner.Id].Used, lines[sooner.Id].Status));
        Assert.Equal((400L, 5600L), (lines[later.Id].Used, lines[later.Id].Left));
        Assert.Equal(0, (await SettlementAsync(Day1, PackageType.Review)).PayAsYouGo);
    }

    [Fact]
    public async Task Usage_no_package_covers_is_pay_as_you_go()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 8 * GB, Day1);
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 5 * GB, Day2);
        await recorder.AddAsync(primaryApp, UsageMetric.TranscodeSeconds, 120, Day2); // no transcode package at all

        await Ledger.SettleThroughAsync(Day2);

        var day2 = await SettlementAsync(Day2, PackageType.Traffic);
        Assert.Equal((5 * GB, 2 * GB, 3 * GB), (day2.Usage, day2.Covered, day2.PayAsYouGo));
        var ledger = await Ledger.GetLedgerAsync();
        Assert.Equal(3 * GB, ledger.PayAsYouGoThisMonth[PackageType.Traffic]);
        Assert.Equal(120, ledger.PayAsYouGoThisMonth[PackageType.Transcode]);
    }

    [Fact]
    public async Task Under_monthly_billing_packages_consume_nothing_and_the_day_is_all_pay_as_you_go()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        await Ledger.RegisterAsync(PackageType.Storage, 10 * GB, Day1, Today.AddDays(30));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 4 * GB, Day1);
        await SetStorageLevelAsync(primaryApp, Day1, 2 * GB);
        await SetBillingModeAsync(BillingMode.Monthly);

        await Ledger.SettleAsync(Day1);

        Assert.All((await Ledger.GetLedgerAsync()).Packages, p => Assert.Equal(0, p.Used));
        var traffic = await SettlementAsync(Day1, PackageType.Traffic);
        Assert.Equal((0L, 4 * GB, BillingMode.Monthly), (traffic.Covered, traffic.PayAsYouGo, traffic.BillingMode));
        Assert.Equal(2 * GB, (await SettlementAsync(Day1, PackageType.Storage)).PayAsYouGo);
    }

    [Fact]
    public async Task Settling_the_same_day_twice_changes_nothing()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 4 * GB, Day1);

        var first = await Ledger.SettleAsync(Day1);
        var second = await Ledger.SettleAsync(Day1);
        var through = await Ledger.SettleThroughAsync(Day1);

        Assert.Equal((true, false, 0), (first, second, through));
        Assert.Equal(4 * GB, Single(await Ledger.GetLedgerAsync()).Used);
        await using var db = await console.OpenDbAsync();
        Assert.Equal(1, await db.PackageSettlements.CountAsync(s => s.Day == Day1 && s.Type == PackageType.Traffic));
    }

    [Fact]
    public async Task A_storage_package_caps_each_days_level_and_its_used_is_the_latest_days_coverage()
    {
        var storage = await Ledger.RegisterAsync(PackageType.Storage, 100 * GB, Day1, Today.AddDays(30));
        await SetStorageLevelAsync(primaryApp, Day1, 80 * GB);
        await SetStorageLevelAsync(primaryApp, Day2, 130 * GB);
        var day3 = Day2.AddDays(1); // no row: the level of day 2 carries forward
        var day4 = day3.AddDays(1);
        await SetStorageLevelAsync(primaryApp, day4, 60 * GB);

        await Ledger.SettleAsync(Day1);
        var afterDay1 = Single(await Ledger.GetLedgerAsync());
        await Ledger.SettleThroughAsync(day3);
        var afterDay3 = Single(await Ledger.GetLedgerAsync());
        await Ledger.SettleAsync(day4);
        var afterDay4 = Single(await Ledger.GetLedgerAsync());

        Assert.Equal(80 * GB, afterDay1.Used);
        Assert.Equal((100 * GB, PackageStatus.Exhausted), (afterDay3.Used, afterDay3.Status));
        Assert.Equal((60 * GB, 40 * GB, PackageStatus.Effective), (afterDay4.Used, afterDay4.Left, afterDay4.Status));
        Assert.Equal(30 * GB, (await SettlementAsync(day3, PackageType.Storage)).PayAsYouGo);
        Assert.Equal(storage.Id, afterDay4.Id);
    }

    [Fact]
    public async Task Usage_of_every_application_counts_against_the_accounts_packages()
    {
        await console.EnableSubApplicationsAsync();
        var sub = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null)).Id;
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        await Ledger.RegisterAsync(PackageType.Storage, 10 * GB, Day1, Today.AddDays(30));
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 3 * GB, Day1);
        await recorder.AddAsync(sub, UsageMetric.TrafficBytes, 4 * GB, Day1);
        await SetStorageLevelAsync(primaryApp, Day1, 6 * GB);
        await SetStorageLevelAsync(sub, Day1, 5 * GB);

        await Ledger.SettleAsync(Day1);

        var used = (await Ledger.GetLedgerAsync()).Packages.ToDictionary(p => p.Type, p => p.Used);
        Assert.Equal(7 * GB, used[PackageType.Traffic]);
        Assert.Equal(10 * GB, used[PackageType.Storage]);
        Assert.Equal(1 * GB, (await SettlementAsync(Day1, PackageType.Storage)).PayAsYouGo);
    }

    [Fact]
    public async Task Settling_through_a_day_settles_each_unsettled_day_from_the_first_package_start_through_yesterday_only()
    {
        await Ledger.RegisterAsync(PackageType.Review, 6000, Day1, Today.AddDays(30));

        var settled = await Ledger.SettleThroughAsync(Today.AddDays(5));

        Assert.Equal(Today.DayNumber - Day1.DayNumber, settled);
        await using var db = await console.OpenDbAsync();
        var days = await db.PackageSettlements.Select(s => s.Day).Distinct().OrderBy(d => d).ToListAsync();
        Assert.Equal((Day1, Today.AddDays(-1)), (days.First(), days.Last()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.SettleAsync(Today));
    }

    [Fact]
    public async Task A_package_reads_as_its_name_or_order_number_or_else_as_its_type_and_number()
    {
        var named = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Today, Today.AddDays(30), "  PO-2026-0415 ");
        var unnamed = await Ledger.RegisterAsync(PackageType.Review, 600, Today, Today.AddDays(30), "   ");
        var invisible = await Assert.ThrowsAsync<DomainRuleException>(() =>
            Ledger.RegisterAsync(PackageType.Review, 600, Today, Today.AddDays(30), "PO\u0007"));
        var tooLong = await Assert.ThrowsAsync<DomainRuleException>(() =>
            Ledger.RegisterAsync(PackageType.Review, 600, Today, Today.AddDays(30), new string('x', PackageRules.NameMaxLength + 1)));

        var lines = (await Ledger.GetLedgerAsync()).Packages.ToDictionary(p => p.Id);
        Assert.Equal(("PO-2026-0415", "PO-2026-0415"), (lines[named.Id].Name, lines[named.Id].DisplayName));
        Assert.Equal((null, $"Review package {unnamed.Id}"), (lines[unnamed.Id].Name, lines[unnamed.Id].DisplayName));
        Assert.Equal((nameof(ResourcePackage.Name), nameof(ResourcePackage.Name)), (invisible.Field, tooLong.Field));
        Assert.Equal(2, lines.Count);
        var registered = await AuditAsync(VodConsole.Core.Audit.AuditActions.PackageRegistered);
        Assert.Contains($"Package {named.Id} (Traffic): PO-2026-0415", registered.Select(e => e.Target));
        // Amounts read as the operator entered them, not in bytes or seconds.
        Assert.Contains("\"Amount\":\"10 GB\"", registered.Single(e => e.Target.Contains("PO-2026-0415")).After);
        Assert.Contains("\"Amount\":\"10 min\"", registered.Single(e => e.Target.Contains("Review")).After);
    }

    [Fact]
    public async Task Before_any_settlement_drew_on_it_every_field_can_be_corrected_and_the_audit_lists_what_changed()
    {
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Today, Today.AddDays(30));
        var line = Single(await Ledger.GetLedgerAsync());
        Assert.Equal(new PackageChanges(null, null, 1, null, null), line.Changes);

        await Ledger.CorrectAsync(package.Id, line.Version,
            new PackageTerms("PO-7", PackageType.Storage, 100 * GB, Today.AddDays(1), Today.AddDays(30)));

        var corrected = Single(await Ledger.GetLedgerAsync());
        Assert.Equal(("PO-7", PackageType.Storage, 100 * GB, Today.AddDays(1), Today.AddDays(30)),
            (corrected.Name, corrected.Type, corrected.Amount, corrected.StartsOn, corrected.ExpiresOn));
        var entry = Assert.Single(await AuditAsync(VodConsole.Core.Audit.AuditActions.PackageCorrected));
        Assert.Equal($"Package {package.Id} (Storage): PO-7", entry.Target);
        Assert.Equal("{\"Name\":null,\"Type\":\"Traffic\",\"Amount\":\"10 GB\",\"StartsOn\":\"2026-04-15\"}", entry.Before);
        Assert.Equal("{\"Name\":\"PO-7\",\"Type\":\"Storage\",\"Amount\":\"100 GB\",\"StartsOn\":\"2026-04-16\"}", entry.After);
    }

    [Fact]
    public async Task Once_usage_was_settled_against_it_its_type_and_start_stay_and_amount_and_expiry_keep_what_was_settled()
    {
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 4 * GB, Day2);
        clock.Now = clock.Now.AddMinutes(1);
        await Ledger.SettleThroughAsync(Today.AddDays(-1));
        var line = Single(await Ledger.GetLedgerAsync());
        var yesterday = Today.AddDays(-1);
        PackageTerms Terms(PackageType type = PackageType.Traffic, long amount = 10 * GB, DateOnly? start = null, DateOnly? expiry = null) =>
            new("PO-8", type, amount, start ?? Day1, expiry ?? Today.AddDays(30));

        var type = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CorrectAsync(package.Id, line.Version, Terms(type: PackageType.Review)));
        var start = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CorrectAsync(package.Id, line.Version, Terms(start: Day2)));
        var amount = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CorrectAsync(package.Id, line.Version, Terms(amount: 3 * GB)));
        var expiry = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CorrectAsync(package.Id, line.Version, Terms(expiry: Day2)));
        await Ledger.CorrectAsync(package.Id, line.Version, Terms(amount: 4 * GB, expiry: Today));

        Assert.Equal(new PackageChanges(null, line.Changes.WhyTypeAndStartAreFixed, 4 * GB, yesterday, null), line.Changes);
        Assert.Contains($"Usage through {yesterday:yyyy-MM-dd} has been settled", line.Changes.WhyTypeAndStartAreFixed);
        Assert.Equal((nameof(ResourcePackage.Type), line.Changes.WhyTypeAndStartAreFixed), (type.Field, type.Message));
        Assert.Equal(nameof(ResourcePackage.StartsOn), start.Field);
        Assert.Equal((nameof(ResourcePackage.Amount), "It has covered 4 GB already; the amount cannot be less than that."), (amount.Field, amount.Message));
        Assert.Equal(nameof(ResourcePackage.ExpiresOn), expiry.Field);
        var corrected = Single(await Ledger.GetLedgerAsync());
        Assert.Equal(("PO-8", 4 * GB, Today, PackageStatus.Exhausted), (corrected.Name, corrected.Amount, corrected.ExpiresOn, corrected.Status));
        Assert.Equal(4 * GB, (await SettlementAsync(Day2, PackageType.Traffic)).Covered);
    }

    [Fact]
    public async Task A_package_registered_after_its_start_days_were_settled_can_still_change_its_type()
    {
        await console.Get<UsageRecorder>().AddAsync(primaryApp, UsageMetric.TrafficBytes, 1, Day1);
        await Ledger.SettleThroughAsync(Day2); // no package yet: both days are settled pay-as-you-go
        clock.Now = clock.Now.AddMinutes(1);
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Day1, Today.AddDays(30));
        var line = Single(await Ledger.GetLedgerAsync());

        await Ledger.CorrectAsync(package.Id, line.Version, new PackageTerms(null, PackageType.Review, 600, Day2, Today.AddDays(30)));

        Assert.Null(line.Changes.WhyTypeAndStartAreFixed);
        Assert.Equal((PackageType.Review, Day2), (Single(await Ledger.GetLedgerAsync()).Type, Single(await Ledger.GetLedgerAsync()).StartsOn));
    }

    [Fact]
    public async Task A_cancelled_package_covers_nothing_from_the_day_of_cancellation_and_past_settlements_stay()
    {
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 100 * GB, Day1, Today.AddDays(30), "PO-9");
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 3 * GB, Today.AddDays(-2));
        await Ledger.SettleThroughAsync(Today.AddDays(-2));
        var before = Single(await Ledger.GetLedgerAsync());

        await Ledger.CancelAsync(package.Id, before.Version);
        // The day before the cancellation is settled afterwards: it was still covered. The cancellation day is not.
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 4 * GB, Today.AddDays(-1));
        await recorder.AddAsync(primaryApp, UsageMetric.TrafficBytes, 5 * GB, Today);
        clock.Now = clock.Now.AddDays(1);
        await Ledger.SettleThroughAsync(Today);

        var cancelled = Single(await Ledger.GetLedgerAsync());
        Assert.Equal((PackageStatus.Cancelled, (DateOnly?)Today, 7 * GB), (cancelled.Status, cancelled.CancelledOn, cancelled.Used));
        Assert.Equal(3 * GB, (await SettlementAsync(Today.AddDays(-2), PackageType.Traffic)).Covered);
        Assert.Equal(4 * GB, (await SettlementAsync(Today.AddDays(-1), PackageType.Traffic)).Covered);
        Assert.Equal((0L, 5 * GB), ((await SettlementAsync(Today, PackageType.Traffic)).Covered, (await SettlementAsync(Today, PackageType.Traffic)).PayAsYouGo));
        Assert.Equal("It is already cancelled.", cancelled.Changes.WhyNotCancel);
        Assert.Contains("cancelled on 2026-04-15", cancelled.Changes.WhyNotCorrect);
        Assert.Equal(cancelled.Changes.WhyNotCancel,
            (await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CancelAsync(package.Id, cancelled.Version))).Message);
        Assert.Equal(cancelled.Changes.WhyNotCorrect, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            Ledger.CorrectAsync(package.Id, cancelled.Version, new PackageTerms("PO-10", PackageType.Traffic, 100 * GB, Day1, Today.AddDays(30))))).Message);
        var entry = Assert.Single(await AuditAsync(VodConsole.Core.Audit.AuditActions.PackageCancelled));
        Assert.Equal(($"Package {package.Id} (Traffic): PO-9", "{\"Status\":\"Effective\"}", "{\"Status\":\"Cancelled\",\"CancelledOn\":\"2026-04-15\"}"),
            (entry.Target, entry.Before, entry.After));
    }

    [Fact]
    public async Task An_expired_package_cannot_be_cancelled_but_can_still_get_an_order_number()
    {
        var package = await Ledger.RegisterAsync(PackageType.Review, 600, Today, Today.AddDays(3));
        clock.Now = clock.Now.AddDays(10);
        var expired = Single(await Ledger.GetLedgerAsync());

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CancelAsync(package.Id, expired.Version));
        await Ledger.CorrectAsync(package.Id, expired.Version, new PackageTerms("PO-11", PackageType.Review, 600, expired.StartsOn, expired.ExpiresOn));

        Assert.Equal(expired.Changes.WhyNotCancel, refused.Message);
        Assert.Contains("expired", refused.Message);
        Assert.Equal(("PO-11", PackageStatus.Expired), (Single(await Ledger.GetLedgerAsync()).Name, Single(await Ledger.GetLedgerAsync()).Status));
    }

    [Fact]
    public async Task A_correction_or_cancellation_made_on_a_package_that_changed_meanwhile_is_refused_and_saves_nothing()
    {
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Today, Today.AddDays(30));
        var seen = Single(await Ledger.GetLedgerAsync());
        await Ledger.CorrectAsync(package.Id, seen.Version, new PackageTerms("PO-12", PackageType.Traffic, 20 * GB, Today, Today.AddDays(30)));

        var correction = await Assert.ThrowsAsync<DomainRuleException>(() =>
            Ledger.CorrectAsync(package.Id, seen.Version, new PackageTerms("PO-13", PackageType.Traffic, 30 * GB, Today, Today.AddDays(30))));
        var cancellation = await Assert.ThrowsAsync<DomainRuleException>(() => Ledger.CancelAsync(package.Id, seen.Version));

        Assert.Contains("changed meanwhile", correction.Message);
        Assert.Contains("changed meanwhile", cancellation.Message);
        var now = Single(await Ledger.GetLedgerAsync());
        Assert.Equal(("PO-12", 20 * GB, PackageStatus.Effective), (now.Name, now.Amount, now.Status));
    }

    private async Task<List<VodConsole.Core.Audit.AuditEntry>> AuditAsync(string action)
    {
        await using var db = await console.OpenDbAsync();
        return await db.AuditEntries.Where(e => e.Action == action).ToListAsync();
    }

    private static PackageLine Single(PackageLedgerView ledger) => Assert.Single(ledger.Packages);

    private async Task<PackageSettlement> SettlementAsync(DateOnly day, PackageType type)
    {
        await using var db = await console.OpenDbAsync();
        return await db.PackageSettlements.SingleAsync(s => s.Day == day && s.Type == type);
    }

    private async Task SetBillingModeAsync(BillingMode mode)
    {
        await using var db = await console.OpenDbAsync();
        (await db.Accounts.SingleAsync()).BillingMode = mode;
        await db.SaveChangesAsync();
    }

    private async Task SetStorageLevelAsync(long applicationId, DateOnly day, long bytes)
    {
        await using var db = await console.OpenDbAsync();
        db.DailyUsage.Add(new DailyUsage { ApplicationId = applicationId, Metric = UsageMetric.StorageBytes, Day = day, Value = bytes });
        await db.SaveChangesAsync();
    }
}
