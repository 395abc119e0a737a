using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Api;

/// <summary>A key as the API keys page lists it: everything but the secret.</summary>
/// <param name="DisabledReason">Why the console disabled the key by itself (its user lost access); null otherwise.</param>
public sealed record ApiKeyListing(
    long Id, string KeyId, string Name, ApplicationAccess Access, bool IsEnabled, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt,
    string? DisabledReason = null);

/// <summary>A key just created, with its secret: shown once, never again.</summary>
public sealed record CreatedApiKey(ApiKeyListing Key, string Secret)
{
    public override string ToString() => $"CreatedApiKey {{ Key = {Key} }}"; // the secret stays out of logs
}

/// <summary>
/// The API keys of the current role: the account's keys in the Admin role, the application's keys in an application
/// role. Anyone who may use the role sees its keys (never a secret); creating, disabling, enabling and deleting need
/// an Administrator (account keys) or Full access to the application. Every change goes to the audit log.
/// </summary>
public sealed class ApiKeyService(
    IDbContextFactory<VodDbContext> dbFactory, RoleContext roles, AccessPolicy access, AuditLog audit, ApiKeySecrets secrets, TimeProvider clock)
{
    /// <summary>The keys of the current role, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyListing>> ListAsync(CancellationToken ct = default)
    {
        var applicationId = ScopeApplicationId();
        if (applicationId is null)
        {
            await access.RequireAdministratorAsync(ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await InScope(db.ApiKeys.AsNoTracking(), applicationId).OrderByDescending(k => k.Id).ToListAsync(ct);
        return keys.Select(Listing).ToList();
    }

    /// <summary>Creates a key for the current role; an account key always has full access.</summary>
    public async Task<CreatedApiKey> CreateAsync(string? name, ApplicationAccess keyAccess, CancellationToken ct = default)
    {
        var applicationId = await RequireManageAsync(ct);
        var validName = TextRules.Required(name, ApiKey.NameMaxLength, "Enter a name that says who or what uses the key.", "name", "Name");
        var secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey
        {
            KeyId = ApiKeySecrets.NewKeyId(),
            Name = validName,
            ApplicationId = applicationId,
            Access = applicationId is null ? ApplicationAccess.Full : keyAccess,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = roles.Catalog?.UserName ?? AuditLog.SystemActor,
            ResponsibleUserId = access.UserId,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(AuditActions.ApiKeyCreated, applicationId, AuditTargets.ApiKey(key.KeyId, key.Name), null, Values(key), ct);
        return new CreatedApiKey(Listing(key), secret);
    }

    /// <summary>
    /// A disabled key is refused at once (it is checked on every request); enabling it again restores it, and from then on
    /// the key follows the access of the user who enabled it (docs/decisions/0010).
    /// </summary>
    public async Task SetEnabledAsync(long id, bool enabled, CancellationToken ct = default)
    {
        var applicationId = await RequireManageAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await InScope(db.ApiKeys, applicationId).SingleOrDefaultAsync(k => k.Id == id, ct) ?? throw NotFound();
        if (key.IsEnabled == enabled)
        {
            return;
        }
        var reason = key.DisabledReason;
        key.IsEnabled = enabled;
        key.DisabledReason = null; // by hand: the audit log says who and when
        if (enabled)
        {
            key.ResponsibleUserId = access.UserId ?? key.ResponsibleUserId;
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(enabled ? AuditActions.ApiKeyEnabled : AuditActions.ApiKeyDisabled, applicationId,
            AuditTargets.ApiKey(key.KeyId, key.Name), new { IsEnabled = !enabled, Reason = reason }, new { IsEnabled = enabled }, ct);
    }

    /// <summary>Deletes a key for good: requests signed with it are refused from now on.</summary>
    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        var applicationId = await RequireManageAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await InScope(db.ApiKeys, applicationId).SingleOrDefaultAsync(k => k.Id == id, ct) ?? throw NotFound();
        db.ApiKeys.Remove(key);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.ApiKeyDeleted, applicationId, AuditTargets.ApiKey(key.KeyId, key.Name), Values(key), null, ct);
    }

    /// <summary>Null in the Admin role (account keys), else the current application.</summary>
    private long? ScopeApplicationId()
    {
        access.RequireCaller();
        return (roles.Current ?? throw new InvalidOperationException("No role is selected.")).ApplicationId;
    }

    private async Task<long?> RequireManageAsync(CancellationToken ct)
    {
        var applicationId = ScopeApplicationId();
        if (applicationId is { } id)
        {
            await access.RequireWriteAsync(id, ct);
        }
        else
        {
            await access.RequireAdministratorAsync(ct);
        }
        return applicationId;
    }

    /// <summary>Only the role's own keys: another application's (or an account key seen from an application) is not found.</summary>
    private static IQueryable<ApiKey> InScope(IQueryable<ApiKey> keys, long? applicationId) =>
        applicationId is { } id ? keys.Where(k => k.ApplicationId == id) : keys.Where(k => k.ApplicationId == null);

    private static ApiKeyListing Listing(ApiKey key) =>
        new(key.Id, key.KeyId, key.Name, key.Access, key.IsEnabled, key.CreatedAt, key.CreatedBy, key.LastUsedAt, key.DisabledReason);

    /// <summary>What the audit log keeps of a key: never the secret, not even encrypted.</summary>
    private static object Values(ApiKey key) => new
    {
        key.Name,
        key.KeyId,
        Scope = key.IsAccountKey ? "Account" : "Application",
        Access = key.Access.ToString(),
        key.IsEnabled,
    };

    private static ResourceNotFoundException NotFound() => new("ApiKey", "Not found: this API key does not exist (it may have been deleted).");
}
