using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Usage;

public sealed class UsageRollupTests
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);

    [Fact]
    public async Task Amounts_add_up_within_a_day_and_over_days()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var recorder = console.Get<UsageRecorder>();

        await recorder.AddAsync(app, UsageMetric.TrafficBytes, 100, Day1);
        await recorder.AddAsync(app, UsageMetric.TrafficBytes, 50, Day1);
        await recorder.AddAsync(app, UsageMetric.TrafficBytes, 7, Day1.AddDays(1));

        var figures = await console.Get<UsageReport>().FiguresByApplicationAsync(Day1, Day1.AddDays(1));
        var series = await console.Get<UsageReport>().DailySeriesAsync(UsageMetric.TrafficBytes, Day1, Day1.AddDays(1));
        Assert.Equal(157, figures[app][UsageMetric.TrafficBytes]);
        Assert.Equal([150L, 7L], series.Select(p => p.Value));
    }

    [Fact]
    public async Task A_day_keeps_its_highest_bandwidth_sample()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var recorder = console.Get<UsageRecorder>();

        await recorder.RecordPeakAsync(app, UsageMetric.PeakBandwidthBps, 300, Day1);
        await recorder.RecordPeakAsync(app, UsageMetric.PeakBandwidthBps, 900, Day1);
        await recorder.RecordPeakAsync(app, UsageMetric.PeakBandwidthBps, 400, Day1);

        var figures = await console.Get<UsageReport>().FiguresByApplicationAsync(Day1, Day1);
        Assert.Equal(900, figures[app][UsageMetric.PeakBandwidthBps]);
    }

    [Fact]
    public async Task Levels_move_by_deltas_and_never_below_zero()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var recorder = console.Get<UsageRecorder>();

        await console.ChangeLevelAsync(app, UsageMetric.StorageBytes, 1000);
        await console.ChangeLevelAsync(app, UsageMetric.StorageBytes, -300);
        var afterDelete = await console.Get<UsageReport>().FiguresByApplicationAsync(recorder.Today, recorder.Today);
        await console.ChangeLevelAsync(app, UsageMetric.StorageBytes, -5000);
        var floored = await console.Get<UsageReport>().FiguresByApplicationAsync(recorder.Today, recorder.Today);

        Assert.Equal(700, afterDelete[app][UsageMetric.StorageBytes]);
        Assert.Equal(0, floored[app][UsageMetric.StorageBytes]);
    }

    [Fact]
    public async Task Levels_carry_forward_over_days_without_events()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var app = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Levels", null)).Id;
        await using (var db = await console.OpenDbAsync())
        {
            db.DailyUsage.Add(new DailyUsage { ApplicationId = app, Metric = UsageMetric.StorageBytes, Day = Day1, Value = 500 });
            db.DailyUsage.Add(new DailyUsage { ApplicationId = app, Metric = UsageMetric.StorageBytes, Day = Day1.AddDays(3), Value = 800 });
            await db.SaveChangesAsync();
        }

        var series = await console.Get<UsageReport>().DailySeriesAsync(UsageMetric.StorageBytes, Day1.AddDays(1), Day1.AddDays(4), app);

        Assert.Equal([500L, 500L, 800L, 800L], series.Select(p => p.Value));
    }

    [Fact]
    public async Task Account_figures_are_sums_over_applications_and_the_peak_is_the_highest_daily_sum()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(a, UsageMetric.Plays, 3, Day1);
        await recorder.AddAsync(b, UsageMetric.Plays, 4, Day1.AddDays(1));
        await recorder.RecordPeakAsync(a, UsageMetric.PeakBandwidthBps, 100, Day1);
        await recorder.RecordPeakAsync(b, UsageMetric.PeakBandwidthBps, 150, Day1);
        await recorder.RecordPeakAsync(b, UsageMetric.PeakBandwidthBps, 200, Day1.AddDays(1));

        var total = await console.Get<UsageReport>().AccountFiguresAsync(Day1, Day1.AddDays(1));

        Assert.Equal(7, total[UsageMetric.Plays]);
        Assert.Equal(250, total[UsageMetric.PeakBandwidthBps]);
    }

    [Fact]
    public async Task One_applications_figures_never_include_another()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        await console.Get<UsageRecorder>().AddAsync(b, UsageMetric.TrafficBytes, 999, Day1);

        var onlyA = await console.Get<UsageReport>().FiguresByApplicationAsync(Day1, Day1, a);
        var seriesA = await console.Get<UsageReport>().DailySeriesAsync(UsageMetric.TrafficBytes, Day1, Day1, a);

        Assert.DoesNotContain(b, onlyA.Keys);
        Assert.Empty(seriesA);
    }

    [Fact]
    public async Task Delivered_traffic_adds_up_over_batches_and_the_busiest_minute_sets_the_peak_bandwidth()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 10, 0, 5, TimeSpan.Zero));
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var meter = console.Get<PlaybackMeter>();

        meter.AddTraffic(app, 3_000_000);
        clock.Now = clock.Now.AddSeconds(30);
        meter.AddTraffic(app, 3_000_000); // same minute
        await meter.FlushAsync(); // a minute can be written in several batches
        meter.AddTraffic(app, 1_000_000);
        clock.Now = clock.Now.AddMinutes(1);
        meter.AddTraffic(app, 1_500_000);
        await meter.FlushAsync();

        var figures = (await console.Get<UsageReport>().FiguresByApplicationAsync(Day1, Day1))[app];
        Assert.Equal(8_500_000, figures[UsageMetric.TrafficBytes]);
        Assert.Equal(933_333, figures[UsageMetric.PeakBandwidthBps]); // 7 MB in the first minute
    }

    [Fact]
    public async Task Minute_buckets_older_than_a_day_are_dropped()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var meter = console.Get<PlaybackMeter>();

        meter.AddTraffic(app, 100);
        await meter.FlushAsync();
        clock.Now = clock.Now.AddDays(1).AddMinutes(1);
        meter.AddTraffic(app, 100);
        await meter.FlushAsync();

        await using var db = await console.OpenDbAsync();
        Assert.Equal([clock.Now.UtcDateTime.AddSeconds(-clock.Now.Second)], db.TrafficMinutes.Select(t => t.Minute).ToList());
    }
}
