using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Data;

/// <summary>
/// The one way to open a database context over application-owned data: isolated to the application the current role
/// names (fed by the route through <see cref="RoleContext"/>), so queries see only its rows and saves refuse others'.
/// A scope without a caller (no user, no API key, no declared system work) gets no context at all: whatever forgot to
/// resolve who it acts for fails closed here, before any query. While an administrator views as another user, every
/// context it opens refuses to save (below every service's own check).
/// </summary>
public sealed class ApplicationData(IDbContextFactory<VodDbContext> dbFactory, RoleContext roles)
{
    public async Task<VodDbContext> OpenAsync(CancellationToken ct = default)
    {
        RequireCaller(); // before the role: a scope without a caller has none, and must read as refused, not as a bug
        return await OpenForAsync(roles.CurrentApplicationId, ct);
    }

    /// <summary>For a caller that resolved and checked the application itself (an HTTP endpoint, a background job).</summary>
    public async Task<VodDbContext> OpenForAsync(long applicationId, CancellationToken ct = default)
    {
        RequireCaller();
        var db = await dbFactory.CreateDbContextAsync(ct);
        db.IsolateTo(applicationId);
        RefuseWritesWhileViewing(db);
        return db;
    }

    /// <summary>Spans every application: only for system work that checks permissions itself. Greppable on purpose.</summary>
    public async Task<VodDbContext> OpenSystemWideAsync(CancellationToken ct = default)
    {
        RequireCaller();
        var db = await dbFactory.CreateDbContextAsync(ct);
        db.OpenSystemWide();
        RefuseWritesWhileViewing(db);
        return db;
    }

    private void RefuseWritesWhileViewing(VodDbContext db)
    {
        if (roles.ApiKey is null && roles.Catalog is { ViewAs: not null } viewed)
        {
            db.RefuseWrites(AccessPolicy.ViewAsMessage(viewed.UserName));
        }
    }

    private void RequireCaller()
    {
        if (!roles.HasCaller)
        {
            throw new AccessDeniedException(AccessPolicy.NoCallerMessage);
        }
    }
}
