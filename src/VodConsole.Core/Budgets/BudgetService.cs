using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Budgets;

/// <summary>
/// Budgets and quotas per application: administrators set them; anyone who may see an application reads its status,
/// which the banner and the overview show. Thresholds are announced by <see cref="BudgetMonitor"/>; uploads and
/// transcoding ask <see cref="BudgetRules.RefuseIfStoppedAsync"/>.
/// </summary>
public sealed class BudgetService(ApplicationData data, AccessPolicy access, AuditLog audit, BudgetSignal signal, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Every application with its limits (none for most) and this month's usage against them.</summary>
    public async Task<IReadOnlyList<BudgetStatus>> ListAsync(CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await data.OpenSystemWideAsync(ct);
        var applications = await db.Applications.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        var budgets = await db.ApplicationBudgets.AsNoTracking().ToDictionaryAsync(b => b.ApplicationId, ct);
        var statuses = new List<BudgetStatus>();
        foreach (var application in applications)
        {
            statuses.Add(await BudgetRules.StatusAsync(db, application.Id, application.Name, budgets.GetValueOrDefault(application.Id), Today, ct));
        }
        return statuses;
    }

    /// <summary>One application's limits and usage, for anyone who may see it.</summary>
    public async Task<BudgetStatus> StatusAsync(long applicationId, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        var name = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.Name).SingleAsync(ct);
        return await BudgetRules.StatusAsync(db, applicationId, name, Today, ct);
    }

    /// <summary>
    /// The limits at 80 % or more, for the banner: the application's when given (anyone who may see it), else every
    /// application's announced this month (Administrators), re-read so a raised limit clears its banner at once.
    /// </summary>
    public async Task<IReadOnlyList<BudgetStatus>> AlertsAsync(long? applicationId, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        var month = BudgetRules.MonthOf(Today);
        await using var db = applicationId is { } id ? await data.OpenForAsync(id, ct) : await data.OpenSystemWideAsync(ct);
        // Only applications that can be in alert are measured: those with a budget (or, account-wide, a notice this month).
        var candidates = applicationId is { } only
            ? db.ApplicationBudgets.Where(b => b.ApplicationId == only).Select(b => b.ApplicationId)
            : db.BudgetNotices.Where(n => n.Month == month).Select(n => n.ApplicationId).Distinct();
        var applications = await db.Applications.AsNoTracking()
            .Where(a => candidates.Contains(a.Id)).OrderBy(a => a.Id).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        var alerts = new List<BudgetStatus>();
        foreach (var application in applications)
        {
            var status = await BudgetRules.StatusAsync(db, application.Id, application.Name, Today, ct);
            if (status.Alerts.Count > 0)
            {
                alerts.Add(status);
            }
        }
        return alerts;
    }

    /// <summary>
    /// Sets an application's limits (all empty removes them). Checked first, nothing saved if a value is wrong; refused
    /// when someone saved meanwhile. The thresholds are evaluated again at once: lowering a limit below today's usage
    /// announces it, raising it lifts a stop.
    /// </summary>
    public async Task<BudgetStatus> SaveAsync(long applicationId, BudgetEdit edit, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        var name = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.Name).SingleOrDefaultAsync(ct)
            ?? throw new ResourceNotFoundException("Application", AccessPolicy.NotFoundMessage);
        var budget = await db.ApplicationBudgets.SingleOrDefaultAsync(b => b.ApplicationId == applicationId, ct);
        if ((budget?.Version ?? 0) != edit.Version)
        {
            throw ChangedMeanwhile();
        }
        var before = BudgetRules.EditOf(budget);
        // Version 0 stands for "no budget yet", so the first saved budget is version 1.
        var changed = budget ?? new ApplicationBudget { ApplicationId = applicationId, Version = 1 };
        BudgetRules.Apply(edit, changed);
        if (budget is null)
        {
            db.ApplicationBudgets.Add(changed);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw ChangedMeanwhile();
        }
        var after = BudgetRules.EditOf(changed);
        await audit.RecordAsync(AuditActions.BudgetChanged, applicationId, $"Budget of {name}",
            Fields(before), Fields(after), ct);
        signal.Notify();
        return await BudgetRules.StatusAsync(db, applicationId, name, changed, Today, ct);
    }

    private static object Fields(BudgetEdit edit) =>
        new { edit.MonthlyBudget, edit.StorageCapGb, edit.TrafficCapGb, edit.TranscodeCapMinutes, edit.StopAtLimit };

    private static DomainRuleException ChangedMeanwhile() =>
        new("This budget was changed meanwhile by someone else. Look at it again and retry.");
}

/// <summary>Wakes <see cref="BudgetMonitor"/>'s worker when usage was recorded or a budget changed.</summary>
public sealed class BudgetSignal : WorkSignal;
