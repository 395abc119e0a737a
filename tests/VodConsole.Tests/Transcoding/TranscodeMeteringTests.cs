using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Packages;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Transcoding;

/// <summary>
/// Real jobs on tiny clips: a finished job's output seconds land in the day's roll-ups by tier, with its
/// TranscodeComplete event, in the job's own commit; a run that lost its claim records neither.
/// </summary>
public sealed class TranscodeMeteringTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 5, 12);
    private readonly TestClock clock = new(Today);
    private TranscodeWorld world = null!;

    public async ValueTask InitializeAsync()
    {
        world = await TranscodeWorld.StartAsync(clock: clock);
        await (await world.InApp<CallbackSettingsService>())
            .SaveAsync(new(CallbackMode.Pull, null, [CallbackEventType.TranscodeComplete], ExpectedVersion: 0));
    }

    public async ValueTask DisposeAsync() => await world.DisposeAsync();

    [Theory]
    [InlineData(null, UsageMetric.TranscodeSecondsAudio)]
    [InlineData(144, UsageMetric.TranscodeSecondsSd)]
    [InlineData(480, UsageMetric.TranscodeSecondsSd)]
    [InlineData(481, UsageMetric.TranscodeSecondsHd)]
    [InlineData(720, UsageMetric.TranscodeSecondsHd)]
    [InlineData(1080, UsageMetric.TranscodeSecondsFhd)]
    [InlineData(1440, UsageMetric.TranscodeSeconds2K)]
    [InlineData(2160, UsageMetric.TranscodeSeconds4K)]
    public void A_rendition_falls_in_the_tier_of_its_height(int? height, UsageMetric tier) =>
        Assert.Equal(tier, UsageMetrics.TranscodeTierOf(height));

    [Fact]
    public async Task A_finished_job_counts_its_output_seconds_per_tier_with_its_event_and_a_rerun_counts_again()
    {
        var clip = await world.ClipAsync(size: "1280x720");
        var template = await (await world.InApp<TranscodeTemplates>()).CreateAsync(new TranscodeTemplateEdit("Two tiers", TranscodeFormat.Hls,
            [new(240, 400, 25, 64), new(720, 1500, 25, 64)]));
        var jobs = await world.InApp<TranscodeJobs>();
        await jobs.StartAsync([clip.Id], template.Id);
        await jobs.StartAsync([clip.Id], TranscodePresets.AudioAacId);
        Assert.Equal(2, await world.RunQueuedAsync());

        var finished = await (await world.InApp<TranscodeJobs>()).ListForMediaAsync(clip.Id);
        Assert.All(finished, t => Assert.Equal(TranscodeJobState.Done, t.Job.State));
        var outputs = finished.SelectMany(t => t.Derivatives).ToList();
        long Seconds(string rendition) => (long)Math.Round(outputs.Single(d => d.Rendition == rendition).DurationSeconds!.Value, MidpointRounding.AwayFromZero);
        var expected = new Dictionary<UsageMetric, long>
        {
            [UsageMetric.TranscodeSecondsSd] = Seconds("240p"),
            [UsageMetric.TranscodeSecondsHd] = Seconds("720p"),
            [UsageMetric.TranscodeSecondsAudio] = Seconds("audio"),
        };
        Assert.All(expected.Values, s => Assert.InRange(s, 2, 4)); // a 3 s clip: every rendition is about its length
        expected[UsageMetric.TranscodeSeconds] = expected.Values.Sum();
        Assert.Equal(expected, await TodaysTranscodingAsync());

        // Each job's event went with its commit and lists what it produced, with the paths its files are served at.
        var events = await EventsAsync();
        Assert.Equal(2, events.Count);
        var hls = events.Single(e => e.GetProperty("TemplateName").GetString() == "Two tiers");
        Assert.Equal("Done", hls.GetProperty("State").GetString());
        Assert.Equal(clip.Id, hls.GetProperty("MediaId").GetInt64());
        var files = hls.GetProperty("Files").EnumerateArray().ToList();
        Assert.Equal(["240p", "720p", "master"], files.Select(f => f.GetProperty("Rendition").GetString()).Order());
        var hd = files.Single(f => f.GetProperty("Rendition").GetString() == "720p");
        Assert.Equal(720, hd.GetProperty("Height").GetInt32());
        Assert.True(hd.GetProperty("SizeBytes").GetInt64() > 0);
        var hlsJob = finished.Single(t => t.Job.TemplateName == "Two tiers").Job;
        Assert.Equal($"/play/{world.AppId}/{clip.Id}/outputs/{hlsJob.Id}/720p/index.m3u8", hd.GetProperty("UrlPath").GetString());

        // Running the job again is work done again: it counts again, and reports again.
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], template.Id);
        Assert.Equal(1, await world.RunQueuedAsync());
        var again = await TodaysTranscodingAsync();
        Assert.Equal(2 * expected[UsageMetric.TranscodeSecondsHd], again[UsageMetric.TranscodeSecondsHd]);
        Assert.Equal(expected[UsageMetric.TranscodeSecondsAudio], again[UsageMetric.TranscodeSecondsAudio]);
        Assert.Equal(again.Where(u => u.Key != UsageMetric.TranscodeSeconds).Sum(u => u.Value), again[UsageMetric.TranscodeSeconds]);
        Assert.Equal(3, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task A_transcode_package_is_consumed_by_the_seconds_of_real_jobs_when_the_day_is_settled()
    {
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.AudioAacId);
        Assert.Equal(1, await world.RunQueuedAsync());
        var seconds = (await TodaysTranscodingAsync())[UsageMetric.TranscodeSeconds];
        Assert.InRange(seconds, 2, 4);

        var ledger = world.Console.Get<PackageLedger>();
        await ledger.RegisterAsync(PackageType.Transcode, 600, Today, Today.AddDays(30));
        clock.Now = clock.Now.AddDays(1);
        Assert.True(await ledger.SettleAsync(Today));

        var line = Assert.Single((await ledger.GetLedgerAsync()).Packages);
        Assert.Equal((seconds, 600 - seconds), (line.Used, line.Left));
    }

    [Fact]
    public async Task A_run_that_lost_its_claim_records_neither_seconds_nor_an_event()
    {
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.AudioAacId);
        var runner = world.Console.Get<TranscodeRunner>();
        var claim = await runner.ClaimNextAsync();
        Assert.NotNull(claim);
        // Another instance took the job over meanwhile: the row carries its lease and attempt, not this one's.
        await using (var db = await world.OpenAsync())
        {
            await db.TranscodeJobs.Where(j => j.Id == claim.Job.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, "another-instance").SetProperty(j => j.Attempt, j => j.Attempt + 1));
        }

        await runner.RunAsync(claim);

        Assert.Equal(TranscodeJobState.Running, (await world.JobAsync(claim.Job.Id)).State);
        Assert.Empty(await TodaysTranscodingAsync());
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task A_failed_job_reports_its_failure_and_counts_nothing()
    {
        var clip = await world.ClipAsync();
        await (await world.InApp<TranscodeJobs>()).StartAsync([clip.Id], TranscodePresets.AudioAacId);
        File.Delete(world.Console.Get<VodConsole.Core.Media.IMediaStorage>().LocalPathOf(clip.StorageKey)!);

        Assert.Equal(1, await world.RunQueuedAsync());

        var e = Assert.Single(await EventsAsync());
        Assert.Equal("Failed", e.GetProperty("State").GetString());
        Assert.False(string.IsNullOrEmpty(e.GetProperty("FailureReason").GetString()));
        Assert.Empty(e.GetProperty("Files").EnumerateArray());
        Assert.Empty(await TodaysTranscodingAsync());
    }

    private async Task<Dictionary<UsageMetric, long>> TodaysTranscodingAsync()
    {
        await using var db = await world.OpenAsync();
        var rows = await db.DailyUsage.AsNoTracking()
            .Where(u => u.ApplicationId == world.AppId && u.Day == Today).ToListAsync();
        return rows.Where(u => UsageMetrics.IsDuration(u.Metric) && u.Metric != UsageMetric.ReviewSeconds && u.Value != 0)
            .ToDictionary(u => u.Metric, u => u.Value);
    }

    private async Task<List<JsonElement>> EventsAsync()
    {
        await using var db = await world.OpenAsync();
        var data = await db.CallbackEvents.AsNoTracking()
            .Where(e => e.Type == CallbackEventType.TranscodeComplete).OrderBy(e => e.Id).Select(e => e.Data).ToListAsync();
        return data.Select(d => JsonDocument.Parse(d).RootElement).ToList();
    }
}
