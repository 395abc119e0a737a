using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Accounts;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Packages;

/// <summary>One package as the ledger page shows it, with its status as of today.</summary>
/// <param name="DisplayName">Its name or order number, else its type and number (<see cref="PackageRules.DisplayName"/>).</param>
/// <param name="NotStartedYet">Bought to start later: Effective (or Frozen) already, but used only from <paramref name="StartsOn"/>.</param>
/// <param name="Version">What a correction or cancellation must name, so a change made meanwhile is not overwritten.</param>
/// <param name="Changes">What may be corrected and whether it may be cancelled, with the reasons where not.</param>
public sealed record PackageLine(
    long Id, string? Name, string DisplayName, PackageType Type, long Amount, long Used, long Left, DateOnly StartsOn, DateOnly ExpiresOn,
    PackageStatus Status, bool NotStartedYet, DateOnly? CancelledOn, long Version, PackageChanges Changes);

/// <summary>The account's packages and this month's pay-as-you-go per type (base units).</summary>
public sealed record PackageLedgerView(
    DateOnly Today, BillingMode BillingMode, IReadOnlyList<PackageLine> Packages, IReadOnlyDictionary<PackageType, long> PayAsYouGoThisMonth,
    DateOnly? DemoHistoryRecordedFrom);

/// <summary>
/// The account's resource packages: registering purchases, settling each finished UTC day's usage against them, and the
/// ledger the page shows. A day is settled once, in one save: the account's usage of the day (all applications, read
/// from the roll-ups) is taken from the effective packages of each type, earliest expiry first, spilling over to the
/// next; the rest is pay-as-you-go. Under Monthly billing packages are frozen and the whole day is pay-as-you-go.
/// </summary>
public sealed class PackageLedger(
    IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access, AuditLog audit, TimeProvider clock, UsageReport usage)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <param name="name">The order number or a name; optional.</param>
    public async Task<ResourcePackage> RegisterAsync(
        PackageType type, long amount, DateOnly startsOn, DateOnly expiresOn, string? name = null, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var validName = PackageRules.ValidName(name);
        PackageRules.ValidatePurchase(type, amount, startsOn, expiresOn, Today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var package = new ResourcePackage
        {
            Name = validName,
            Type = type,
            Amount = amount,
            StartsOn = startsOn,
            ExpiresOn = expiresOn,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ResourcePackages.Add(package);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.PackageRegistered, null, AuditTarget(package), null,
            new { package.Name, package.Type, Amount = PackageRules.AmountText(package.Type, package.Amount), package.StartsOn, package.ExpiresOn }, ct);
        return package;
    }

    /// <summary>
    /// Corrects a package registered with a mistake. Until usage has been settled against it every field may change;
    /// afterwards its type and start date stay, its amount cannot drop below what it has covered and its expiry not before
    /// the last settled day (see <see cref="PackageRules.ChangesOf"/>). Days settled already stay as they were. The audit
    /// entry lists the fields that changed, before and after.
    /// </summary>
    /// <param name="version">The <see cref="PackageLine.Version"/> the correction was made on.</param>
    public async Task<ResourcePackage> CorrectAsync(long id, long version, PackageTerms terms, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (package, changes) = await FindForChangeAsync(db, id, version, ct);
        var name = PackageRules.ValidateCorrection(package, changes, terms, Today);

        var before = Fields(package);
        package.Name = name;
        package.Type = terms.Type;
        package.Amount = terms.Amount;
        package.StartsOn = terms.StartsOn;
        package.ExpiresOn = terms.ExpiresOn;
        var after = Fields(package);
        var changed = after.Keys.Where(field => !Equals(before[field], after[field])).ToList();
        if (changed.Count == 0)
        {
            return package;
        }
        await SaveChangeAsync(db, ct);
        await audit.RecordAsync(AuditActions.PackageCorrected, null, AuditTarget(package),
            changed.ToDictionary(field => field, field => before[field]), changed.ToDictionary(field => field, field => after[field]), ct);
        return package;
    }

    /// <summary>
    /// Cancels a package (registered by mistake, refunded): from today, which is not settled yet, settlement no longer
    /// draws on it; days settled already keep what it covered. Final: a cancelled package cannot be corrected or restored.
    /// </summary>
    /// <param name="version">The <see cref="PackageLine.Version"/> the cancellation was confirmed on.</param>
    public async Task CancelAsync(long id, long version, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (package, changes) = await FindForChangeAsync(db, id, version, ct);
        if (changes.WhyNotCancel is { } refused)
        {
            throw new DomainRuleException(refused);
        }
        var billingMode = await db.Accounts.Select(a => a.BillingMode).SingleAsync(ct);
        var status = PackageRules.StatusOf(package, billingMode, Today);
        package.CancelledOn = Today;
        await SaveChangeAsync(db, ct);
        await audit.RecordAsync(AuditActions.PackageCancelled, null, AuditTarget(package),
            new { Status = status }, new { Status = PackageStatus.Cancelled, package.CancelledOn }, ct);
    }

    public async Task<PackageLedgerView> GetLedgerAsync(CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var today = Today;
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var billingMode = await db.Accounts.Select(a => a.BillingMode).SingleAsync(ct);
        var packages = await WithSettledThrough(db, db.ResourcePackages.AsNoTracking()).ToListAsync(ct);
        var settlements = await db.PackageSettlements.AsNoTracking()
            .Where(s => s.Day >= monthStart && s.Day <= today)
            .ToListAsync(ct);

        var lines = packages
            .Select(row => LineOf(row, billingMode, today))
            .OrderBy(l => l.Status).ThenBy(l => l.ExpiresOn).ThenBy(l => l.Id)
            .ToList();
        var payAsYouGo = Enum.GetValues<PackageType>().ToDictionary(type => type, type =>
        {
            var days = settlements.Where(s => s.Type == type).OrderBy(s => s.Day).ToList();
            // Storage is billed on its level: the month so far reads as the latest settled day's uncovered level.
            return PackageRules.IsCapacity(type) ? days.LastOrDefault()?.PayAsYouGo ?? 0 : days.Sum(s => s.PayAsYouGo);
        });
        // Usage settled from the first package's start on may be the demo applications' generated history.
        var settledFrom = packages.Select(p => p.Package.StartsOn).DefaultIfEmpty(today).Min();
        var demoHistory = DemoHistory.RecordedFrom(await db.Applications.AsNoTracking().Where(a => a.IsDemo).ToListAsync(ct), settledFrom);
        return new PackageLedgerView(today, billingMode, lines, payAsYouGo, demoHistory);
    }

    /// <summary>
    /// Settles one finished UTC day. Returns false when it was settled already (by this or another server): settling is
    /// idempotent. Roll-ups that arrive for a day after it was settled are not picked up; the worker settles through
    /// yesterday only.
    /// </summary>
    public async Task<bool> SettleAsync(DateOnly day, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        if (day >= Today)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, "Only a finished UTC day can be settled.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await IsSettledAsync(db, day, ct))
        {
            return false;
        }

        var figures = await usage.AccountFiguresAsync(day, day, ct);
        // The billing mode at settlement time stands for the day's: the worker settles each day within the hour after it ends.
        var billingMode = await db.Accounts.Select(a => a.BillingMode).SingleAsync(ct);
        var usable = billingMode == BillingMode.Monthly
            ? []
            : await db.ResourcePackages
                .Where(p => p.StartsOn <= day && p.ExpiresOn >= day && (p.CancelledOn == null || p.CancelledOn > day))
                .OrderBy(p => p.ExpiresOn).ThenBy(p => p.Id)
                .ToListAsync(ct);
        // A storage package's Used is its coverage on the latest settled day; an older day settled late must not replace it.
        var isLatestDay = !await db.PackageSettlements.AnyAsync(s => s.Day > day, ct);

        var settledAt = clock.GetUtcNow().UtcDateTime;
        foreach (var type in Enum.GetValues<PackageType>())
        {
            var demand = figures[PackageRules.MetricOf(type)];
            var covered = PackageRules.IsCapacity(type)
                ? CoverCapacity(usable.Where(p => p.Type == type), demand, isLatestDay)
                : DrawDown(usable.Where(p => p.Type == type), demand);
            db.PackageSettlements.Add(new PackageSettlement
            {
                Day = day,
                Type = type,
                Usage = demand,
                Covered = covered,
                PayAsYouGo = demand - covered,
                BillingMode = billingMode,
                SettledAt = settledAt,
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another server settled the same day first (primary key or package version clash): its result stands.
            await using var check = await dbFactory.CreateDbContextAsync(ct);
            if (await IsSettledAsync(check, day, ct))
            {
                return false;
            }
            throw;
        }
    }

    /// <summary>
    /// Settles every unsettled finished day from the earliest package start or recorded usage through
    /// <paramref name="lastDay"/> (at most yesterday), oldest first. Returns how many days it settled.
    /// </summary>
    public async Task<int> SettleThroughAsync(DateOnly lastDay, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var yesterday = Today.AddDays(-1);
        if (lastDay > yesterday)
        {
            lastDay = yesterday;
        }

        HashSet<DateOnly> settled;
        DateOnly? firstDay;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var metrics = Enum.GetValues<PackageType>().Select(PackageRules.MetricOf).ToArray();
            var firstStart = await db.ResourcePackages.MinAsync(p => (DateOnly?)p.StartsOn, ct);
            var firstUsage = await db.DailyUsage.Where(u => metrics.Contains(u.Metric)).MinAsync(u => (DateOnly?)u.Day, ct);
            firstDay = new[] { firstStart, firstUsage }.Where(d => d.HasValue).Min();
            if (firstDay is null || firstDay > lastDay)
            {
                return 0;
            }
            settled = (await db.PackageSettlements
                .Where(s => s.Day >= firstDay && s.Day <= lastDay)
                .Select(s => s.Day).Distinct()
                .ToListAsync(ct)).ToHashSet();
        }

        var count = 0;
        for (var day = firstDay.Value; day <= lastDay; day = day.AddDays(1))
        {
            if (!settled.Contains(day) && await SettleAsync(day, ct))
            {
                count++;
            }
        }
        return count;
    }

    private static PackageLine LineOf(PackageWithSettlement row, BillingMode billingMode, DateOnly today)
    {
        var p = row.Package;
        return new PackageLine(p.Id, p.Name, PackageRules.DisplayName(p), p.Type, p.Amount, p.Used, p.Left, p.StartsOn, p.ExpiresOn,
            PackageRules.StatusOf(p, billingMode, today), today < p.StartsOn, p.CancelledOn, p.Version,
            PackageRules.ChangesOf(p, row.SettledThrough, today));
    }

    /// <summary>A package and the last day whose settlement may have drawn on it (see <see cref="PackageRules.ChangesOf"/>).</summary>
    private sealed record PackageWithSettlement(ResourcePackage Package, DateOnly? SettledThrough);

    /// <summary>
    /// Each package with the last day settled while it was registered, valid, not cancelled and under Daily billing: a
    /// day settled before it was registered (it was registered with a past start) never drew on it. A settlement that saw
    /// the package read it after its registration was saved, so its SettledAt is later than the package's CreatedAt.
    /// </summary>
    private static IQueryable<PackageWithSettlement> WithSettledThrough(VodDbContext db, IQueryable<ResourcePackage> packages) =>
        packages.Select(p => new PackageWithSettlement(p, db.PackageSettlements
            .Where(s => s.Type == p.Type && s.Day >= p.StartsOn && s.Day <= p.ExpiresOn
                && (p.CancelledOn == null || s.Day < p.CancelledOn)
                && s.SettledAt > p.CreatedAt && s.BillingMode == BillingMode.Daily)
            .Max(s => (DateOnly?)s.Day)));

    /// <summary>The package to correct or cancel, tracked, with what may be done to it; refused when it changed since <paramref name="version"/>.</summary>
    private async Task<(ResourcePackage Package, PackageChanges Changes)> FindForChangeAsync(
        VodDbContext db, long id, long version, CancellationToken ct)
    {
        var row = await WithSettledThrough(db, db.ResourcePackages.Where(p => p.Id == id)).SingleOrDefaultAsync(ct)
            ?? throw new DomainRuleException("Not found: this package does not exist.");
        if (row.Package.Version != version)
        {
            throw ChangedMeanwhile();
        }
        return (row.Package, PackageRules.ChangesOf(row.Package, row.SettledThrough, Today));
    }

    /// <summary>Saves a correction or cancellation; a settlement or another administrator that changed the package first wins.</summary>
    private static async Task SaveChangeAsync(VodDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ChangedMeanwhile();
        }
    }

    private static DomainRuleException ChangedMeanwhile() =>
        new("This package changed meanwhile (a settlement or another administrator); nothing was saved. Look at it again and retry.");

    private static Dictionary<string, object?> Fields(ResourcePackage package) => new()
    {
        [nameof(ResourcePackage.Name)] = package.Name,
        [nameof(ResourcePackage.Type)] = package.Type,
        // As the operator entered it ("500 GB", "1,000 min"), not in bytes or seconds.
        [nameof(ResourcePackage.Amount)] = PackageRules.AmountText(package.Type, package.Amount),
        [nameof(ResourcePackage.StartsOn)] = package.StartsOn,
        [nameof(ResourcePackage.ExpiresOn)] = package.ExpiresOn,
    };

    /// <summary>Names the package by number, type and (when it has one) name, so its entries are found either way.</summary>
    private static string AuditTarget(ResourcePackage package) =>
        package.Name is null ? $"Package {package.Id} ({package.Type})" : $"Package {package.Id} ({package.Type}): {package.Name}";

    private static Task<bool> IsSettledAsync(VodDbContext db, DateOnly day, CancellationToken ct) =>
        db.PackageSettlements.AnyAsync(s => s.Day == day, ct);

    /// <summary>Takes an amount from packages in order, each down to zero before the next; returns what they covered.</summary>
    private static long DrawDown(IEnumerable<ResourcePackage> packages, long demand)
    {
        var covered = 0L;
        foreach (var package in packages)
        {
            var take = Math.Min(demand - covered, package.Left);
            package.Used += take;
            covered += take;
        }
        return covered;
    }

    /// <summary>Caps a level: each package covers up to its amount of what the earlier ones left uncovered.</summary>
    private static long CoverCapacity(IEnumerable<ResourcePackage> packages, long level, bool recordAsUsed)
    {
        var covered = 0L;
        foreach (var package in packages)
        {
            var take = Math.Min(level - covered, package.Amount);
            if (recordAsUsed)
            {
                package.Used = take;
            }
            covered += take;
        }
        return covered;
    }
}
