using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Access;

/// <summary>
/// "View as": an administrator sees the console exactly as another user does — their switcher, menu, pages and data,
/// never more — and may change nothing (docs/decisions/0020-view-as.md). The state is a row per administrator
/// (<see cref="ViewAsSession"/>), so it survives a reload and holds on every instance; <see cref="RoleResolver"/> reads
/// it at each navigation, <see cref="AccessPolicy"/> and <see cref="ApplicationData"/> refuse every change while it lasts.
/// Only users who are not administrators can be viewed: an administrator (the owner always is one) sees what you see.
/// </summary>
public sealed class ViewAsService(
    IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access, RoleContext roles, AuditLog audit, TimeProvider clock)
{
    /// <summary>How long a view lasts unless stopped before: long enough to follow a user's report, short enough to be forgotten safely.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromHours(1);

    public const string AdministratorTargetMessage =
        "Administrators see every application already; view as is for users with grants. The owner is always an administrator.";
    public const string SelfMessage = "You cannot view the console as yourself.";
    public const string KeyMessage = "Only a person can view the console as someone; an API key cannot.";

    /// <summary>
    /// The sessions in force at <paramref name="now"/>: before their end, while the administrator still is one and the
    /// viewed user still is not. The others are over at once, whether or not the lapse worker removed them yet.
    /// </summary>
    public static IQueryable<ViewAsSession> Live(VodDbContext db, DateTime now) =>
        db.ViewAsSessions.Where(s => s.EndsAt > now
            && db.Users.Any(u => u.Id == s.AdministratorId && u.IsAdministrator)
            && db.Users.Any(u => u.Id == s.ViewedUserId && !u.IsAdministrator));

    /// <summary>Starts viewing as the user, for <see cref="TimeLimit"/>; the administrator's open tabs follow.</summary>
    public async Task StartAsync(string userId, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct); // refused while already viewing as someone: stop first
        var administratorId = access.UserId ?? throw new AccessDeniedException(KeyMessage);
        if (userId == administratorId)
        {
            throw new DomainRuleException(SelfMessage);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewed = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new DomainRuleException("Not found: this user does not exist.");
        if (viewed.IsAdministrator)
        {
            throw new DomainRuleException(AdministratorTargetMessage);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var session = await db.ViewAsSessions.SingleOrDefaultAsync(s => s.AdministratorId == administratorId, ct);
        if (session is null)
        {
            session = new ViewAsSession { AdministratorId = administratorId, ViewedUserId = userId };
            db.ViewAsSessions.Add(session);
        }
        session.ViewedUserId = userId; // an old session that ran out and was not removed yet is replaced
        session.StartedAt = now;
        session.EndsAt = now + TimeLimit;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.ViewAsStarted, null, AuditTargets.User(viewed.Email ?? ""), null,
            new { Administrator = roles.Catalog!.UserName, ViewedUser = viewed.Email, session.EndsAt }, ct);
    }

    /// <summary>
    /// Ends the signed-in administrator's view (the one change allowed while viewing); nothing when there is none. Acts
    /// for the person behind the view, never for the viewed user.
    /// </summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (roles.ApiKey is not null || roles.Catalog is null)
        {
            throw new AccessDeniedException(roles.HasCaller ? AccessPolicy.SelfMessage : AccessPolicy.NoCallerMessage);
        }
        var administratorId = roles.Catalog.SignedInUserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ended = await db.ViewAsSessions.Where(s => s.AdministratorId == administratorId)
            .Join(db.Users, s => s.ViewedUserId, u => u.Id, (s, u) => new { Session = s, u.Email })
            .SingleOrDefaultAsync(ct);
        if (ended is null)
        {
            return;
        }
        db.ViewAsSessions.Remove(ended.Session);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // ended at the same moment by its time limit, which recorded it
        }
        await audit.RecordAsync(AuditActions.ViewAsStopped, null, AuditTargets.User(ended.Email ?? ""), null,
            new { Administrator = roles.Catalog.ViewAs?.AdministratorName ?? roles.Catalog.UserName, ViewedUser = ended.Email }, ct);
    }
}
