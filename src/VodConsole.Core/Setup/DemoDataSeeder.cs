using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Setup.Demo;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

/// <summary>
/// Fills a brand-new database with demo sub-applications (marked as demo everywhere they show), so that a first look
/// at the console has a working role switcher and something true to look at. Everything is made by the console's own
/// services, as an operator's actions would be: the applications, one of them disabled; small generated clips uploaded
/// into each (<see cref="DemoClips"/>), which the processing worker then probes and gives covers like any upload, so the
/// media count and storage figures are those of the media pages; the demo packages. Only the plays, traffic and peak
/// bandwidth of the days before the applications existed are generated (<see cref="DemoHistory"/>), and the pages that
/// show them say so; nothing is made up for transcoding or review, which nothing performs yet.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<VodDbContext> dbFactory,
    ApplicationService applications,
    MediaUploadService uploads,
    DemoClips clips,
    PackageLedger packages,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const int HistoryDays = 90;

    /// <param name="Busy">How busy its generated play history is (1 = quiet).</param>
    private sealed record DemoApplication(string Name, string Description, ApplicationStatus Status, int Busy, string[] Media);

    private static readonly DemoApplication[] DemoApplications =
    [
        new("Demo - Marketing site", "Demo data: product videos for the public website.", ApplicationStatus.Enabled, 4,
            ["Product tour.mp4", "Spring campaign teaser.mp4", "Customer story.mp4"]),
        new("Demo - Customer Acme", "Demo data: a customer kept apart from everyone else.", ApplicationStatus.Enabled, 3,
            ["Acme onboarding walkthrough.mp4", "Acme quarterly review.mp4"]),
        new("Demo - Test environment", "Demo data: uploads from the staging pipeline.", ApplicationStatus.Enabled, 1,
            ["Pipeline smoke test 1.mp4", "Pipeline smoke test 2.mp4", "Pipeline smoke test 3.mp4", "Pipeline smoke test 4.mp4"]),
        new("Demo - Legacy archive", "Demo data: a disabled application; its playback domain answers 403.", ApplicationStatus.Disabled, 2,
            ["Keynote 2019.mp4"]),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var account = await db.Accounts.SingleAsync(ct);
            account.SubApplicationsEnabled = true;
            account.SubApplicationsEnabledAt ??= account.CreatedAt;
            await db.SaveChangesAsync(ct);
        }

        var files = await clips.MakeAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var next = 0;
        foreach (var demo in DemoApplications)
        {
            var created = await applications.CreateSubApplicationAsync(demo.Name, demo.Description, isDemo: true, ct);
            long stored = 0;
            foreach (var fileName in demo.Media)
            {
                using var file = new MemoryStream(files[next++ % files.Count], writable: false);
                stored += (await uploads.UploadAsync(created.Id, fileName, file, MediaOptions.DefaultMaxUploadBytes, ct)).SizeBytes;
            }
            if (demo.Status != ApplicationStatus.Enabled)
            {
                await applications.SetStatusAsync(created.Id, demo.Status, created.Version, ct);
            }
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.DailyUsage.AddRange(History(created.Id, demo.Busy, stored / demo.Media.Length, today));
            await db.SaveChangesAsync(ct);
        }
        // Bought two months ago, so the settlement worker has history to draw them down with.
        var bought = today.AddDays(-60);
        await packages.RegisterAsync(PackageType.Traffic, 20 * PackageRules.BytesPerTerabyte, bought, bought.AddYears(1), "Demo order 1", ct);
        await packages.RegisterAsync(PackageType.Traffic, 5 * PackageRules.BytesPerTerabyte, bought, bought.AddMonths(3), "Demo order 2", ct);
        await packages.RegisterAsync(PackageType.Storage, PackageRules.BytesPerTerabyte, bought, bought.AddYears(1), "Demo order 3", ct);
        logger.LogInformation(
            "Seeded {Count} demo sub-applications with {Media} media items ({Clips}), {Days} days of demo play history, and demo packages (Seed:DemoData is on).",
            DemoApplications.Length, next, files.Count > 1 ? "clips made by ffmpeg" : "the built-in clip", HistoryDays - 1);
    }

    /// <summary>
    /// A plausible, repeatable history of plays for one demo application on the days before it was created: a weekly
    /// rhythm, and the traffic those plays would make of its media (<paramref name="mediaBytes"/> each), with the peak
    /// bandwidth of a busy hour. Larger <paramref name="scale"/>, busier application. Nothing for today or later: from
    /// the day it exists, every figure is recorded.
    /// </summary>
    public static IEnumerable<DailyUsage> History(long applicationId, int scale, long mediaBytes, DateOnly today)
    {
        var random = new Random((int)(applicationId % int.MaxValue));
        for (var day = today.AddDays(1 - HistoryDays); day < today; day = day.AddDays(1))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var plays = (long)(random.Next(200, 800) * scale * (weekend ? 1.6 : 1.0));
            var traffic = plays * mediaBytes;
            yield return Row(UsageMetric.Plays, plays);
            yield return Row(UsageMetric.TrafficBytes, traffic);
            yield return Row(UsageMetric.PeakBandwidthBps, traffic * 8 / 3600 * random.Next(2, 5) / 10);

            DailyUsage Row(UsageMetric metric, long value) => new() { ApplicationId = applicationId, Metric = metric, Day = day, Value = value };
        }
    }
}
