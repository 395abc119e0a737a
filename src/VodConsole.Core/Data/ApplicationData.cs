using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Data;

/// <summary>
/// The one way to open a database context over application-owned data: isolated to the application the current role
/// names (fed by the route through <see cref="RoleContext"/>), so queries see only its rows and saves refuse others'.
/// </summary>
public sealed class ApplicationData(IDbContextFactory<VodDbContext> dbFactory, RoleContext roles)
{
    public async Task<VodDbContext> OpenAsync(CancellationToken ct = default) =>
        await OpenForAsync(roles.CurrentApplicationId, ct);

    /// <summary>For a caller that resolved and checked the application itself (an HTTP endpoint, a background job).</summary>
    public async Task<VodDbContext> OpenForAsync(long applicationId, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        db.IsolateTo(applicationId);
        return db;
    }

    /// <summary>Spans every application: only for system work that checks permissions itself. Greppable on purpose.</summary>
    public async Task<VodDbContext> OpenSystemWideAsync(CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        db.OpenSystemWide();
        return db;
    }
}
