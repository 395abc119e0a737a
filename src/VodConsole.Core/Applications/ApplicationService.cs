using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Applications;

/// <summary>Reads and creates the account's applications, keeping the rules of <see cref="ApplicationRules"/>.</summary>
public sealed class ApplicationService(
    IDbContextFactory<VodDbContext> dbFactory,
    ApplicationIdGenerator idGenerator,
    UsageRecorder usage,
    TimeProvider clock)
{
    private const int IdAttempts = 10;

    /// <summary>Every application, the primary one first, then sub-applications by name.</summary>
    public async Task<IReadOnlyList<Application>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Applications.AsNoTracking().OrderByListPosition().ToListAsync(ct);
    }

    public async Task<Application?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
    }

    public async Task<Application> CreateSubApplicationAsync(
        string? name, string? description, bool isDemo = false, CancellationToken ct = default)
    {
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
            throw new DomainRuleException(
                $"An application named \"{validName}\" already exists. Names must be unique (ignoring upper and lower case).",
                nameof(Application.Name));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var application = new Application
        {
            Id = await NewIdAsync(db, ct),
            Name = validName,
            NormalizedName = normalizedName,
            Description = validDescription,
            Kind = ApplicationKind.Sub,
            Status = ApplicationStatus.Enabled,
            IsDemo = isDemo,
            CreatedAt = now,
            ModifiedAt = now,
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await usage.StartApplicationAsync(application.Id, ct);
        return application;
    }

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
