using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Budgets;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Common;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Budgets;

/// <summary>Budgets and quotas: thresholds announced once per month and level, and uploads and transcoding stopped at 100 %.</summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private const long GB = UsageUnits.BytesPerGigabyte;

    // The last day of a month, so a test can step into the next one.
    private readonly TestClock clock = new(new DateOnly(2026, 11, 30));
    private TestConsole console = null!;
    private long a;
    private long b;

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(services => services
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        a = (await applications.CreateSubApplicationAsync("Budget A", null)).Id;
        b = (await applications.CreateSubApplicationAsync("Budget B", null)).Id;
        var scope = await console.InApplicationAsync(a);
        await scope.GetRequiredService<CallbackSettingsService>()
            .SaveAsync(new CallbackSettingsEdit(CallbackMode.Pull, null, [CallbackEventType.BudgetThreshold], 0));
    }

    public ValueTask DisposeAsync() => console.DisposeAsync();

    private static byte[] Mp4()
    {
        var bytes = new byte[4096];
        Encoding.ASCII.GetBytes("\0\0\0\u0020ftypisom").CopyTo(bytes, 0);
        return bytes;
    }

    private async Task<BudgetStatus> SetAsync(long app, decimal? money = null, decimal? storageGb = null, decimal? trafficGb = null,
        long? transcodeMinutes = null, bool stop = false)
    {
        var version = (await console.Get<BudgetService>().StatusAsync(app)).Edit.Version;
        return await console.Get<BudgetService>().SaveAsync(app, new BudgetEdit(money, storageGb, trafficGb, transcodeMinutes, stop, version));
    }

    private Task TrafficAsync(long app, long bytes) => console.Get<UsageRecorder>().AddAsync(app, UsageMetric.TrafficBytes, bytes);

    private Task<int> EvaluateAsync() => console.Get<BudgetMonitor>().EvaluateAllAsync();

    private async Task<MediaItem> UploadAsync(long app) =>
        await (await console.InApplicationAsync(app)).GetRequiredService<MediaUploadService>()
            .UploadAsync(app, "clip.mp4", new MemoryStream(Mp4()), 1_000_000);

    private async Task<List<(DateOnly Month, BudgetDimension Dimension, int Level)>> NoticesAsync(long app)
    {
        await using var db = await console.OpenDbAsync();
        return (await db.BudgetNotices.IgnoreQueryFilters().Where(n => n.ApplicationId == app).ToListAsync())
            .Select(n => (n.Month, n.Dimension, n.Level)).OrderBy(n => n.Month).ThenBy(n => n.Level).ToList();
    }

    [Fact]
    public async Task Thresholds_at_80_and_100_percent_are_announced_once_each_with_an_audit_entry_and_a_callback()
    {
        await SetAsync(a, trafficGb: 10);

        await TrafficAsync(a, 8 * GB);
        var at80 = await EvaluateAsync();
        var again = await EvaluateAsync();
        await TrafficAsync(a, 2 * GB);
        var at100 = await EvaluateAsync();
        var afterwards = await EvaluateAsync();

        Assert.Equal((1, 0, 1, 0), (at80, again, at100, afterwards));
        var november = new DateOnly(2026, 11, 1);
        Assert.Equal([(november, BudgetDimension.Traffic, 80), (november, BudgetDimension.Traffic, 100)], await NoticesAsync(a));
        await using var db = await console.OpenDbAsync();
        var audits = await db.AuditEntries.Where(e => e.Action == AuditActions.BudgetThresholdReached).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([a, a], audits.Select(e => e.ApplicationId));
        Assert.Contains("80 %", audits[0].After);
        // Event IDs are random (decision 0012): which came first is not in their order.
        var events = await db.CallbackEvents.IgnoreQueryFilters().Where(e => e.Type == CallbackEventType.BudgetThreshold).Select(e => e.Data).ToListAsync();
        Assert.Equal(2, events.Count);
        Assert.All(events, data => Assert.Contains("\"Dimension\":\"Traffic\"", data));
        Assert.Single(events, data => data.Contains("\"Level\":80"));
        Assert.Single(events, data => data.Contains("\"Level\":100"));
    }

    [Fact]
    public async Task A_new_month_lifts_a_monthly_stop_and_announces_afresh()
    {
        await SetAsync(a, trafficGb: 1, stop: true);
        await TrafficAsync(a, GB);
        Assert.Equal(2, await EvaluateAsync());
        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() => UploadAsync(a));
        Assert.Equal("QuotaExceeded.Traffic", refused.Code);
        Assert.Contains("until the month ends", refused.Message);

        clock.Now = clock.Now.AddDays(1); // 1 December: a month without traffic yet
        var uploaded = await UploadAsync(a);
        var nothingNew = await EvaluateAsync();
        await TrafficAsync(a, GB);
        var december = await EvaluateAsync();

        Assert.True(uploaded.Id > 0);
        Assert.Equal((0, 2), (nothingNew, december));
        Assert.Equal(4, (await NoticesAsync(a)).Count);
        Assert.Equal(2, (await NoticesAsync(a)).Count(n => n.Month == new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public async Task At_a_used_up_storage_cap_uploads_pulls_and_transcoding_stop_until_the_cap_is_raised()
    {
        await SetAsync(a, storageGb: 0.001m, stop: true);
        await console.ChangeLevelAsync(a, UsageMetric.StorageBytes, 2_000_000);
        var scope = await console.InApplicationAsync(a);

        var upload = await Assert.ThrowsAsync<QuotaExceededException>(() => UploadAsync(a));
        var pull = await Assert.ThrowsAsync<QuotaExceededException>(() =>
            scope.GetRequiredService<MediaPullService>().SubmitAsync("https://example.com/clip.mp4"));
        var transcode = await Assert.ThrowsAsync<QuotaExceededException>(() =>
            scope.GetRequiredService<TranscodeJobs>().StartAsync([1], TranscodePresets.AudioAacId));
        var otherApplication = await UploadAsync(b);

        Assert.All(new[] { upload, pull, transcode }, e => Assert.Equal("QuotaExceeded.Storage", e.Code));
        Assert.Contains("storage cap (2 MB of 1 MB)", upload.Message);
        Assert.Contains("Playback continues", upload.Message);
        Assert.True(otherApplication.Id > 0);
        await using (var db = await console.OpenDbAsync())
        {
            Assert.False(await db.Media.IgnoreQueryFilters().AnyAsync(m => m.ApplicationId == a));
        }

        await SetAsync(a, storageGb: 1, stop: true);
        Assert.True((await UploadAsync(a)).Id > 0);
    }

    [Fact]
    public async Task Without_stop_at_the_limit_uploads_go_on_and_the_banner_warns()
    {
        await SetAsync(a, storageGb: 0.001m, stop: false);
        await console.ChangeLevelAsync(a, UsageMetric.StorageBytes, 2_000_000);

        var uploaded = await UploadAsync(a);
        var alert = Assert.Single(await console.Get<BudgetService>().AlertsAsync(a));

        Assert.True(uploaded.Id > 0);
        Assert.Equal((BudgetDimension.Storage, 100), (alert.Alerts.Single().Dimension, alert.Alerts.Single().Level));
        Assert.Null(alert.Stopping);
    }

    [Fact]
    public async Task A_monthly_budget_is_measured_at_the_chargeback_prices()
    {
        var chargeback = console.Get<ChargebackService>();
        await chargeback.SavePricesAsync(new ChargebackPrices(new Dictionary<ChargeResource, decimal> { [ChargeResource.Traffic] = 0.333m }, 0));
        await SetAsync(a, money: 3.33m, stop: true);

        await TrafficAsync(a, 8 * GB); // 2.664: 80 %
        var at80 = (await console.Get<BudgetService>().StatusAsync(a)).Meters.Single();
        await UploadAsync(a);
        await TrafficAsync(a, 2 * GB); // 3.33: 100 %
        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() => UploadAsync(a));

        Assert.Equal((2.664m, 80), (at80.Used, at80.Level));
        Assert.Equal("QuotaExceeded.Budget", refused.Code);
        Assert.Contains("monthly budget (3.33 of 3.33)", refused.Message);
    }

    [Theory]
    [InlineData(-1.0, null, null, null, "MonthlyBudget", "greater than zero")]
    [InlineData(10.001, null, null, null, "MonthlyBudget", "at most 2 decimal places")]
    [InlineData(null, 0.0001, null, null, "StorageCapGb", "at most 3 decimal places")]
    [InlineData(null, null, 0.0, null, "TrafficCapGb", "greater than zero")]
    [InlineData(null, null, 2000000.0, null, "TrafficCapGb", "at most 1,000,000 GB")]
    [InlineData(null, null, null, -5L, "TranscodeCapMinutes", "greater than zero")]
    public async Task Bad_budget_values_are_refused_with_a_clear_message_and_nothing_is_saved(
        double? money, double? storage, double? traffic, long? minutes, string field, string message)
    {
        var error = await Assert.ThrowsAsync<DomainRuleException>(() =>
            SetAsync(a, (decimal?)money, (decimal?)storage, (decimal?)traffic, minutes, stop: true));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
        var status = await console.Get<BudgetService>().StatusAsync(a);
        Assert.False(status.HasLimits);
        Assert.Equal(0, status.Edit.Version);
    }

    [Fact]
    public async Task A_save_over_a_newer_budget_is_refused_and_changes_are_audited()
    {
        await SetAsync(a, trafficGb: 5);
        var budgets = console.Get<BudgetService>();

        var stale = await Assert.ThrowsAsync<DomainRuleException>(() => budgets.SaveAsync(a, new BudgetEdit(null, null, 1, null, false, 0)));

        Assert.Contains("changed meanwhile", stale.Message);
        Assert.Equal(5m, (await budgets.StatusAsync(a)).Edit.TrafficCapGb);
        await using var db = await console.OpenDbAsync();
        Assert.Equal(a, (await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.BudgetChanged)).ApplicationId);
    }

    [Fact]
    public async Task Alerts_reach_the_applications_users_and_administrators_and_no_one_else()
    {
        await SetAsync(a, trafficGb: 1);
        await TrafficAsync(a, GB);
        await EvaluateAsync();
        var readOnlyA = await console.AddUserAsync("readonly-a@budget.test");
        var fullB = await console.AddUserAsync("full-b@budget.test");
        var access = console.Get<UserAccessService>();
        await access.SetAccessAsync(readOnlyA, false, new Dictionary<long, ApplicationAccess> { [a] = ApplicationAccess.ReadOnly });
        await access.SetAccessAsync(fullB, false, new Dictionary<long, ApplicationAccess> { [b] = ApplicationAccess.Full });

        var forA = await (await console.AsUserAsync(readOnlyA, a)).GetRequiredService<BudgetService>().AlertsAsync(a);
        var forAdministrators = await console.Get<BudgetService>().AlertsAsync(null);
        var userB = (await console.AsUserAsync(fullB, b)).GetRequiredService<BudgetService>();

        Assert.Equal(a, Assert.Single(forA).ApplicationId);
        Assert.Equal(a, Assert.Single(forAdministrators).ApplicationId);
        Assert.Empty(await userB.AlertsAsync(b));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => userB.AlertsAsync(a));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => userB.AlertsAsync(null));
        await Assert.ThrowsAnyAsync<DomainRuleException>(() => userB.StatusAsync(a));
    }
}
