using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Api;

/// <summary>
/// What an API key may use, in the console's own terms: a <see cref="RoleCatalog"/> (an account key: Admin and every
/// application in full, like an Administrator; an application key: that application alone, with its rights), and the
/// application a request's <c>SubAppId</c> names within it. Entering these into the request's <see cref="RoleContext"/>
/// makes every service act for the key exactly as it acts for a console user.
/// </summary>
public sealed class ApiKeyRoles(IDbContextFactory<VodDbContext> dbFactory)
{
    public const string SubAppIdParameter = "SubAppId";

    public async Task<RoleCatalog> LoadCatalogAsync(ApiKeyCaller key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().SingleAsync(ct);
        var applications = await db.Applications.AsNoTracking()
            .Where(a => key.ApplicationId == null || a.Id == key.ApplicationId)
            .OrderByListPosition()
            .ToListAsync(ct);
        var roles = new List<ConsoleRole>(applications.Count + 1);
        if (key.IsAccountKey)
        {
            roles.Add(ConsoleRole.Admin);
        }
        roles.AddRange(applications.Select(a => ConsoleRole.For(a, key.Access)));
        return new RoleCatalog(
            "", key.ActorName, false, null, account.SubApplicationsEnabled, account.BillingMode, account.ServiceStatus, roles);
    }

    /// <summary>
    /// The application a <c>SubAppId</c> (or another parameter naming one) selects: <c>0</c> or the primary
    /// application's ID is the primary application; absent is the primary application for an account key and the key's
    /// own application for an application key. An application the key may not use is not found, exactly like one that
    /// does not exist. A disabled application is selected like any other: only its playback is refused.
    /// </summary>
    public static ConsoleRole ResolveApplication(RoleCatalog catalog, string? value, string parameter = SubAppIdParameter)
    {
        if (string.IsNullOrWhiteSpace(value) && !catalog.Roles.Any(r => r.IsAdmin))
        {
            // An application key's catalog holds its own application alone.
            return catalog.Roles.Single();
        }
        long id = 0;
        if (!string.IsNullOrWhiteSpace(value)
            && !long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            throw ApiErrors.Invalid(parameter, $"{parameter} must be an application ID (digits), or 0 for the primary application.");
        }
        var role = id == 0
            ? catalog.Roles.FirstOrDefault(r => r.IsPrimary)
            : catalog.Roles.FirstOrDefault(r => r.ApplicationId == id);
        return role ?? throw ApiErrors.NotFound(parameter, id == 0
            ? $"This key may not use the primary application; send the {parameter} of the application the key belongs to, or leave it out."
            : $"There is no application {id} that this key may use.");
    }
}
