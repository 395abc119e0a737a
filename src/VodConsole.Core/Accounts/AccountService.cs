using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Accounts;

/// <summary>The account's settings and the switch that turns on sub-applications.</summary>
public sealed class AccountService(
    IDbContextFactory<VodDbContext> dbFactory, ApplicationData data, CallbackEvents callbacks, AccessPolicy access, AuditLog audit, TimeProvider clock)
{
    public async Task<Account> GetAsync(CancellationToken ct = default)
    {
        access.RequireCaller();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking().SingleAsync(ct);
    }

    /// <summary>
    /// Adds the Admin role and the role switcher. Nothing else changes: every existing media item stays in the
    /// primary application. Only the account owner may do it; doing it twice is harmless.
    /// </summary>
    public async Task EnableSubApplicationsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Acting for someone else is refused too: a signed-in user can only name themselves.
        var isOwner = await db.Users.AnyAsync(u => u.Id == userId && u.IsOwner, ct);
        if (!isOwner || (access.UserId is { } actor && actor != userId))
        {
            throw new AccessDeniedException(AccessPolicy.OwnerMessage);
        }

        var account = await db.Accounts.SingleAsync(ct);
        if (account.SubApplicationsEnabled)
        {
            return;
        }
        account.SubApplicationsEnabled = true;
        account.SubApplicationsEnabledAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.SubApplicationsEnabled, null, Target, new { SubApplicationsEnabled = false },
            new { SubApplicationsEnabled = true }, ct);
    }

    /// <summary>
    /// Switches how the account is billed. Resource packages follow from it: under Monthly billing they are frozen and
    /// consume nothing; back on Daily, those still within their validity period are effective again.
    /// </summary>
    public async Task<Account> SetBillingModeAsync(BillingMode mode, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.SingleAsync(ct);
        var before = new { account.BillingMode };
        account.BillingMode = mode;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.BillingModeChanged, null, Target, before, new { account.BillingMode }, ct);
        return account;
    }

    /// <summary>Suspends the service (arrears): every application is disabled, remembering the status each one had.</summary>
    public Task<Account> SuspendAsync(CancellationToken ct = default) =>
        SetServiceStatusAsync(ServiceStatus.Suspended, application =>
        {
            application.StatusBeforeSuspension = application.Status;
            application.Status = ApplicationStatus.Disabled;
        }, ct);

    /// <summary>Resumes the service: each application gets back the status it had when the service was suspended.</summary>
    public Task<Account> ResumeAsync(CancellationToken ct = default) =>
        SetServiceStatusAsync(ServiceStatus.Active, application =>
        {
            application.Status = application.StatusBeforeSuspension ?? ApplicationStatus.Enabled;
            application.StatusBeforeSuspension = null;
        }, ct);

    /// <summary>Moves the service to a status, changing every application with it in one transaction; a no-op when already there.</summary>
    private async Task<Account> SetServiceStatusAsync(ServiceStatus status, Action<Application> changeApplication, CancellationToken ct)
    {
        await access.RequireAdministratorAsync(ct);
        // System-wide: every application changes, and each one's status event is saved with the change (checked above).
        await using var db = await data.OpenSystemWideAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = await db.Accounts.SingleAsync(ct);
        if (account.ServiceStatus == status)
        {
            return account;
        }
        account.ServiceStatus = status;
        foreach (var application in await db.Applications.ToListAsync(ct))
        {
            var was = application.Status;
            changeApplication(application);
            if (application.Status != was)
            {
                await ApplicationService.AddStatusEventAsync(callbacks, db, application,
                    status == ServiceStatus.Suspended ? "ServiceSuspended" : "ServiceResumed", ct);
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(status == ServiceStatus.Suspended ? AuditActions.ServiceSuspended : AuditActions.ServiceResumed,
            null, Target, null, new { ServiceStatus = status }, ct);
        return account;
    }

    private const string Target = "Account";
}
