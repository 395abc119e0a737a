using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;

namespace VodConsole.Core.Setup;

/// <summary>
/// Fills a brand-new database with demo sub-applications (marked as demo everywhere they show), so that a first look
/// at the console has a working role switcher.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<VodDbContext> dbFactory,
    ApplicationService applications,
    ILogger<DemoDataSeeder> logger)
{
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

        foreach (var (name, description, status) in DemoApplications)
        {
            var created = await applications.CreateSubApplicationAsync(name, description, isDemo: true, ct);
            if (status != ApplicationStatus.Enabled)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.Applications.Where(a => a.Id == created.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, status), ct);
            }
        }
        logger.LogInformation("Seeded {Count} demo sub-applications (Seed:DemoData is on).", DemoApplications.Length);
    }
}
