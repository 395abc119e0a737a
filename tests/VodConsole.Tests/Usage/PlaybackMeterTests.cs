using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VodConsole.Core.Applications;
using VodConsole.Core.Usage;
using VodConsole.Web.Playback;

namespace VodConsole.Tests.Usage;

/// <summary>The playback domain's traffic and plays reach the roll-ups in batches, never on a response's path.</summary>
public sealed class PlaybackMeterTests
{
    [Fact]
    public async Task Traffic_and_plays_wait_in_the_batch_until_it_is_flushed_then_count_once()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var meter = console.Get<PlaybackMeter>();

        meter.AddTraffic(app, 4000);
        meter.AddPlay(app);
        meter.AddTraffic(app, 1000);
        meter.AddPlay(app);
        var before = await TodayAsync(console, app);
        await meter.FlushAsync();
        await meter.FlushAsync(); // nothing new: adds nothing

        Assert.Equal((0, 0), (before[UsageMetric.TrafficBytes], before[UsageMetric.Plays]));
        var after = await TodayAsync(console, app);
        Assert.Equal(5000, after[UsageMetric.TrafficBytes]);
        Assert.Equal(2, after[UsageMetric.Plays]);
        Assert.Equal(5000 * 8 / 60, after[UsageMetric.PeakBandwidthBps]);
    }

    [Fact]
    public async Task What_the_batch_holds_is_written_when_the_server_stops()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var meter = console.Get<PlaybackMeter>();
        var worker = new PlaybackMeterWorker(console.Get<IServiceScopeFactory>(), meter, TimeProvider.System, NullLogger<PlaybackMeterWorker>.Instance);
        await worker.StartAsync(TestContext.Current.CancellationToken);

        meter.AddTraffic(app, 3000);
        meter.AddPlay(app);
        await worker.StopAsync(TestContext.Current.CancellationToken);

        var figures = await TodayAsync(console, app);
        Assert.Equal(3000, figures[UsageMetric.TrafficBytes]);
        Assert.Equal(1, figures[UsageMetric.Plays]);
    }

    private static async Task<UsageFigures> TodayAsync(TestConsole console, long app)
    {
        var today = console.Get<UsageRecorder>().Today;
        return (await console.Get<UsageReport>().FiguresByApplicationAsync(today, today)).GetValueOrDefault(app) ?? new UsageFigures();
    }
}
