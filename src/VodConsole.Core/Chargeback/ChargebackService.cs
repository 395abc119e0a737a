using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Chargeback;

/// <summary>
/// Chargeback: the unit prices an administrator sets per resource, the statement of what each application consumed
/// over a month or range (from the daily roll-ups, split by the package settlements), and each application's own
/// month-to-date cost. Prices apply to all consumption, covered by a package or not: packages are how the account pays,
/// not a discount for whichever application happened to use them first.
/// </summary>
public sealed class ChargebackService(IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access, AuditLog audit, TimeProvider clock)
{
    /// <summary>The longest range one statement covers.</summary>
    public const int MaxDays = 366;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<ChargebackPrices> GetPricesAsync(CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ChargebackStatement.PricesOf(await db.ChargebackRates.AsNoTracking().SingleOrDefaultAsync(ct) ?? new ChargebackRates());
    }

    /// <summary>
    /// Saves the price list. Every price is checked first (not negative, at most 1,000,000, at most 6 decimal places) and
    /// nothing is saved if one is wrong; refused when another administrator saved meanwhile (<paramref name="edit"/>'s version).
    /// </summary>
    public async Task<ChargebackPrices> SavePricesAsync(ChargebackPrices edit, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var micros = ChargeResources.All.ToDictionary(r => r, r =>
            Money.ValidMicros(edit.Prices.GetValueOrDefault(r), Money.PriceDecimals, Money.MaxPrice,
                $"price per {ChargeResources.Unit(r)} of {ChargeResources.DisplayName(r).ToLowerInvariant()}", r.ToString()));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rates = await db.ChargebackRates.SingleOrDefaultAsync(ct);
        if ((rates?.Version ?? 0) != edit.Version)
        {
            throw ChangedMeanwhile();
        }
        if (rates is null)
        {
            // Version 0 stands for "never saved", so the first saved list is version 1.
            rates = new ChargebackRates { Version = 1 };
            db.ChargebackRates.Add(rates);
        }
        var changed = ChargeResources.All.Where(r => rates.MicrosOf(r) != micros[r]).ToList();
        if (changed.Count == 0)
        {
            return ChargebackStatement.PricesOf(rates);
        }
        var before = changed.ToDictionary(r => r.ToString(), r => rates.PriceOf(r));
        foreach (var resource in changed)
        {
            rates.Set(resource, micros[resource]);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another administrator saved (or created the list) first.
            throw ChangedMeanwhile();
        }
        await audit.RecordAsync(AuditActions.ChargebackPricesChanged, null, "Chargeback prices", before,
            changed.ToDictionary(r => r.ToString(), r => rates.PriceOf(r)), ct);
        return ChargebackStatement.PricesOf(rates);
    }

    /// <summary>What each application consumed over [from, to] and what it costs; today's usage counts as it stands.</summary>
    public async Task<ChargebackStatement> StatementAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        ValidateRange(from, to);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ChargebackStatement.BuildAsync(db, from, to, ct);
    }

    /// <summary>
    /// One application's cost from the first of this month through today, for anyone who may see it: its line of the
    /// month's statement, so it reads the same to the cent as on the chargeback page. Other applications' figures are
    /// used for the cent allocation only and never returned.
    /// </summary>
    public async Task<ApplicationCharge> MonthToDateAsync(long applicationId, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        var today = Today;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statement = await ChargebackStatement.BuildAsync(db, new DateOnly(today.Year, today.Month, 1), today, ct);
        return statement.Applications.Single(a => a.ApplicationId == applicationId);
    }

    private void ValidateRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new DomainRuleException("The end of the range cannot be before its start.", "To");
        }
        if (to > Today)
        {
            throw new DomainRuleException("The range cannot end after today (UTC): there is no usage yet.", "To");
        }
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new DomainRuleException($"A statement covers at most {MaxDays} days.", "From");
        }
    }

    private static DomainRuleException ChangedMeanwhile() =>
        new("The prices were changed meanwhile by someone else. Look at them again and retry.");
}
