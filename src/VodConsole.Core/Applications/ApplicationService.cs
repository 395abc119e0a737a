using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Applications;

/// <summary>Reads and creates the account's applications, keeping the rules of <see cref="ApplicationRules"/>.</summary>
public sealed class ApplicationService(
    IDbContextFactory<VodDbContext> dbFactory,
    ApplicationData data,
    CallbackEvents callbacks,
    ApplicationIdGenerator idGenerator,
    AccessPolicy access,
    AuditLog audit,
    UsageRecorder usage,
    TimeProvider clock)
{
    private const int IdAttempts = 10;

    /// <summary>Every application, the primary one first, then sub-applications by name.</summary>
    public async Task<IReadOnlyList<Application>> ListAsync(CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Applications.AsNoTracking().OrderByListPosition().ToListAsync(ct);
    }

    /// <summary>One application, for those who may see it.</summary>
    public async Task<Application?> FindAsync(long id, CancellationToken ct = default)
    {
        await access.RequireReadAsync(id, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
    }

    public async Task<Application> CreateSubApplicationAsync(
        string? name, string? description, bool isDemo = false, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var validName = ApplicationRules.ValidName(name);
        var validDescription = ApplicationRules.ValidDescription(description);
        var normalizedName = Application.Normalize(validName);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One transaction for the checks and the insert, so two concurrent creations cannot both pass the limit.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var account = await db.Accounts.SingleAsync(ct);
        if (!account.SubApplicationsEnabled)
        {
            throw new DomainRuleException("Sub-applications are not enabled for this account yet.");
        }
        if (await db.Applications.CountAsync(a => a.Kind == ApplicationKind.Sub, ct) >= ApplicationRules.MaxSubApplications)
        {
            throw new DomainRuleException(
                $"This account already has {ApplicationRules.MaxSubApplications} sub-applications, the most allowed. "
                + "Sub-applications cannot be deleted; rename or reuse an existing one.");
        }
        if (await db.Applications.AnyAsync(a => a.NormalizedName == normalizedName, ct))
        {
            throw DuplicateName(validName);
        }

        var suspended = account.ServiceStatus == Accounts.ServiceStatus.Suspended;
        var now = clock.GetUtcNow().UtcDateTime;
        var application = new Application
        {
            Id = await NewIdAsync(db, ct),
            Name = validName,
            NormalizedName = normalizedName,
            Description = validDescription,
            Kind = ApplicationKind.Sub,
            // While the account is suspended every application is disabled, new ones included, until it resumes.
            Status = suspended ? ApplicationStatus.Disabled : ApplicationStatus.Enabled,
            StatusBeforeSuspension = suspended ? ApplicationStatus.Enabled : null,
            IsDemo = isDemo,
            CreatedAt = now,
            ModifiedAt = now,
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await usage.StartApplicationAsync(application.Id, ct);
        await audit.RecordAsync(AuditActions.ApplicationCreated, application.Id, Target(application), null,
            new { application.Name, application.Description, application.Status, application.IsDemo }, ct);
        return application;
    }

    /// <summary>
    /// Renames or re-describes a sub-application. <paramref name="expectedVersion"/> is the version the operator saw;
    /// a newer one stored meanwhile raises <see cref="ApplicationEditConflictException"/> and nothing is written.
    /// </summary>
    public async Task<Application> UpdateAsync(
        long id, string? name, string? description, long expectedVersion, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var validName = ApplicationRules.ValidName(name);
        var validDescription = ApplicationRules.ValidDescription(description);
        var normalizedName = Application.Normalize(validName);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw NotFound();
        if (application.IsPrimary)
        {
            throw new DomainRuleException("The primary application's name and description cannot be changed.");
        }
        if (application.Version != expectedVersion)
        {
            throw new ApplicationEditConflictException(application);
        }
        if (await db.Applications.AnyAsync(a => a.NormalizedName == normalizedName && a.Id != id, ct))
        {
            throw DuplicateName(validName);
        }

        var before = new { application.Name, application.Description };
        application.Name = validName;
        application.NormalizedName = normalizedName;
        application.Description = validDescription;
        await SaveOrConflictAsync(db, application, ct);
        await audit.RecordAsync(AuditActions.ApplicationUpdated, id, Target(application), before,
            new { application.Name, application.Description }, ct);
        return application;
    }

    /// <summary>
    /// Disables or enables a sub-application. Disabling keeps its media and settings and stops its playback domain;
    /// the primary application cannot be disabled, and nothing can be enabled while the account is suspended.
    /// </summary>
    public async Task<Application> SetStatusAsync(
        long id, ApplicationStatus status, long expectedVersion, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        // Isolated to the application so its status event can be saved with the change.
        await using var db = await data.OpenForAsync(id, ct);
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw NotFound();
        var service = await db.Accounts.Select(a => a.ServiceStatus).SingleAsync(ct);
        if (ApplicationRules.WhyNotSetStatus(application, status, service) is { } refused)
        {
            throw new DomainRuleException(refused);
        }
        if (application.Version != expectedVersion)
        {
            throw new ApplicationEditConflictException(application);
        }
        if (application.Status == status)
        {
            return application;
        }

        var before = new { application.Status };
        application.Status = status;
        await AddStatusEventAsync(callbacks, db, application, "Administrator", ct);
        await SaveOrConflictAsync(db, application, ct);
        await audit.RecordAsync(AuditActions.ApplicationStatusChanged, id, Target(application), before, new { application.Status }, ct);
        return application;
    }

    /// <summary>The ApplicationDisabled or ApplicationEnabled event of a status change, saved with it.</summary>
    /// <param name="reason">Who changed it: "Administrator", or the account's suspension or resumption.</param>
    internal static Task AddStatusEventAsync(CallbackEvents callbacks, VodDbContext db, Application application, string reason, CancellationToken ct) =>
        callbacks.AddAsync(db, application.Id,
            application.Status == ApplicationStatus.Disabled ? CallbackEventType.ApplicationDisabled : CallbackEventType.ApplicationEnabled,
            new { application.Name, Status = application.Status.ToString(), Reason = reason }, ct);

    private static string Target(Application application) => AuditTargets.Application(application.Id, application.Name);

    /// <summary>Saves; a concurrent save between our read and write surfaces as a conflict with the stored values.</summary>
    private async Task SaveOrConflictAsync(VodDbContext db, Application application, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ApplicationEditConflictException(await FindAsync(application.Id, ct) ?? throw NotFound());
        }
    }

    private static DomainRuleException NotFound() => new("Not found: this application does not exist.");

    private static DomainRuleException DuplicateName(string name) => new(
        $"An application named \"{name}\" already exists. Names must be unique (ignoring upper and lower case and look-alike forms).",
        nameof(Application.Name));

    internal async Task<long> NewIdAsync(VodDbContext db, CancellationToken ct)
    {
        for (var attempt = 0; attempt < IdAttempts; attempt++)
        {
            var candidate = idGenerator.Next();
            if (!await db.Applications.AnyAsync(a => a.Id == candidate, ct))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No free application ID was found in {IdAttempts} attempts.");
    }
}

public static class ApplicationQueries
{
    /// <summary>The order the console lists applications in: primary first, then by name.</summary>
    public static IOrderedQueryable<Application> OrderByListPosition(this IQueryable<Application> applications) =>
        applications.OrderBy(a => a.Kind == ApplicationKind.Primary ? 0 : 1).ThenBy(a => a.NormalizedName);
}
