using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

/// <summary>
/// Fills a brand-new database with demo sub-applications (marked as demo everywhere they show), so that a first look
/// at the console has a working role switcher.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<VodDbContext> dbFactory,
    ApplicationService applications,
    PackageLedger packages,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const int HistoryDays = 90;

    private static readonly (string Name, string Description, ApplicationStatus Status)[] DemoApplications =
    [
        ("Demo - Marketing site", "Demo data: product videos for the public website.", ApplicationStatus.Enabled),
        ("Demo - Customer Acme", "Demo data: a customer kept apart from everyone else.", ApplicationStatus.Enabled),
        ("Demo - Test environment", "Demo data: uploads from the staging pipeline.", ApplicationStatus.Enabled),
        ("Demo - Legacy archive", "Demo data: a disabled application; its playback domain answers 403.", ApplicationStatus.Disabled),
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

        var scale = 1;
        foreach (var (name, description, status) in DemoApplications)
        {
            var created = await applications.CreateSubApplicationAsync(name, description, isDemo: true, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (status != ApplicationStatus.Enabled)
            {
                await db.Applications.Where(a => a.Id == created.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, status), ct);
            }
            await db.DailyUsage.Where(u => u.ApplicationId == created.Id).ExecuteDeleteAsync(ct);
            db.DailyUsage.AddRange(History(created.Id, scale++, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
            await db.SaveChangesAsync(ct);
        }
        // Bought two months ago, so the settlement worker has history to draw them down with.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var bought = today.AddDays(-60);
        await packages.RegisterAsync(PackageType.Traffic, 20 * PackageRules.BytesPerTerabyte, bought, bought.AddYears(1), "Demo order 1", ct);
        await packages.RegisterAsync(PackageType.Traffic, 5 * PackageRules.BytesPerTerabyte, bought, bought.AddMonths(3), "Demo order 2", ct);
        await packages.RegisterAsync(PackageType.Storage, PackageRules.BytesPerTerabyte, bought, bought.AddYears(1), "Demo order 3", ct);
        await packages.RegisterAsync(PackageType.Transcode, 10_000 * PackageRules.SecondsPerMinute, bought, bought.AddYears(1), "Demo order 4", ct);
        logger.LogInformation("Seeded {Count} demo sub-applications with {Days} days of usage, and demo packages (Seed:DemoData is on).",
            DemoApplications.Length, HistoryDays);
    }

    /// <summary>
    /// A plausible, repeatable usage history for one demo application: a library that grows, daily traffic and plays
    /// with a weekly rhythm, some transcoding and review. Larger <paramref name="scale"/>, busier application.
    /// </summary>
    public static IEnumerable<DailyUsage> History(long applicationId, int scale, DateOnly today)
    {
        var random = new Random((int)(applicationId % int.MaxValue));
        long storage = 0, media = 0;
        for (var day = today.AddDays(1 - HistoryDays); day <= today; day = day.AddDays(1))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var newMedia = random.Next(0, 6 * scale);
            media += newMedia;
            storage += newMedia * (150L << 20) + random.Next(0, 50 << 20);
            var plays = (long)(random.Next(200, 800) * scale * (weekend ? 1.6 : 1.0));
            var traffic = plays * (35L << 20);
            yield return Row(UsageMetric.StorageBytes, storage);
            yield return Row(UsageMetric.MediaCount, media);
            yield return Row(UsageMetric.Plays, plays);
            yield return Row(UsageMetric.TrafficBytes, traffic);
            yield return Row(UsageMetric.PeakBandwidthBps, traffic * 8 / 3600 * random.Next(2, 5));
            yield return Row(UsageMetric.TranscodeSeconds, newMedia * random.Next(120, 900));
            yield return Row(UsageMetric.ReviewSeconds, newMedia * random.Next(60, 600));

            DailyUsage Row(UsageMetric metric, long value) => new() { ApplicationId = applicationId, Metric = metric, Day = day, Value = value };
        }
    }
}
