using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Network;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Callbacks;

/// <summary>An application's callback settings as the page shows them; the key only for those who may change them.</summary>
/// <param name="KeyHidden">True when a key exists but the reader may not see it (read-only access).</param>
/// <param name="WaitingPullEvents">Pull events not yet acknowledged: the queue the application reads.</param>
public sealed record CallbackConfiguration(
    CallbackMode Mode, string? Url, IReadOnlySet<CallbackEventType> EventTypes, string? Key, bool KeyHidden, int WaitingPullEvents)
{
    public override string ToString() => $"CallbackConfiguration {{ Mode = {Mode}, Url = {Url} }}"; // the key stays out of logs
}

/// <summary>What an operator saves on the callbacks page.</summary>
public sealed record CallbackSettingsEdit(CallbackMode Mode, string? Url, IReadOnlyCollection<CallbackEventType> EventTypes);

/// <summary>
/// Reads and saves the current application's callback settings through <see cref="ApplicationData"/>, with the signing
/// key encrypted at rest. A key is generated the first time callbacks are saved, and replaced only on request.
/// </summary>
public sealed class CallbackSettingsService(
    ApplicationData data, RoleContext roles, AccessPolicy access, AuditLog audit, IDataProtectionProvider dataProtection)
{
    public const string UrlField = "url";

    private readonly IDataProtector protector = CallbackKeys.Protector(dataProtection);

    public async Task<CallbackConfiguration> GetAsync(CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await using var db = await data.OpenForAsync(applicationId, ct);
        var row = await db.CallbackSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        var waiting = await db.CallbackEvents.CountAsync(e => e.Delivery == CallbackMode.Pull && e.State == CallbackEventState.Pending, ct);
        if (row is null)
        {
            return new(CallbackMode.Off, null, new HashSet<CallbackEventType>(), null, false, waiting);
        }
        var mayWrite = await access.MayWriteAsync(applicationId, ct);
        var key = row.ProtectedKey is not null && mayWrite ? protector.Unprotect(row.ProtectedKey) : null;
        return new(row.Mode, row.Url, CallbackSubscriptions.Parse(row.EventTypes), key, row.ProtectedKey is not null && !mayWrite, waiting);
    }

    /// <summary>Saves mode, URL and event types. Push needs a valid http(s) URL; the first save makes the key.</summary>
    public async Task<CallbackConfiguration> SaveAsync(CallbackSettingsEdit edit, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var url = ValidUrl(edit.Url, edit.Mode == CallbackMode.Push);
        var eventTypes = CallbackSubscriptions.Format(edit.EventTypes);

        await using var db = await data.OpenAsync(ct);
        var row = await FindOrAddAsync(db, ct);
        var before = new { row.Mode, row.Url, row.EventTypes };
        var keyGenerated = row.ProtectedKey is null;
        row.Mode = edit.Mode;
        row.Url = url;
        row.EventTypes = eventTypes;
        if (keyGenerated)
        {
            row.ProtectedKey = protector.Protect(CallbackSignature.GenerateKey());
        }
        await db.SaveChangesAsync(ct);
        // Never the key: only that one was made.
        await audit.RecordAsync(AuditActions.CallbackSettingsChanged, row.ApplicationId, Target, before,
            new { row.Mode, row.Url, row.EventTypes, KeyGenerated = keyGenerated }, ct);
        return await GetAsync(ct);
    }

    /// <summary>Replaces the key: receivers must be given the new one, as every event from now on is signed with it.</summary>
    public async Task<string> RegenerateKeyAsync(CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        var row = await FindOrAddAsync(db, ct);
        var hadKey = row.ProtectedKey is not null;
        var key = CallbackSignature.GenerateKey();
        row.ProtectedKey = protector.Protect(key);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.CallbackKeyRegenerated, row.ApplicationId, Target,
            new { HasKey = hadKey }, new { HasKey = true, KeyChanged = true }, ct);
        return key;
    }

    /// <summary>The trimmed URL (null when none is needed and none given), or a message for the operator.</summary>
    public static string? ValidUrl(string? url, bool required)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0)
        {
            return required ? throw new DomainRuleException("Enter the URL that events are posted to.", UrlField) : null;
        }
        if (OutboundUrl.Read(text, CallbackSettings.UrlMaxLength, "used for callbacks", out var parsed) is { } problem)
        {
            throw new DomainRuleException("The callback URL is not usable: " + problem, UrlField);
        }
        return parsed.AbsoluteUri;
    }

    private const string Target = "Event callbacks";

    private static async Task<CallbackSettings> FindOrAddAsync(VodDbContext db, CancellationToken ct)
    {
        var row = await db.CallbackSettings.SingleOrDefaultAsync(ct);
        if (row is null)
        {
            row = new CallbackSettings { ApplicationId = db.IsolatedApplicationId!.Value, Mode = CallbackMode.Off };
            db.CallbackSettings.Add(row);
        }
        return row;
    }
}

/// <summary>The one Data Protection purpose the callback key is encrypted under (settings page and delivery alike).</summary>
internal static class CallbackKeys
{
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("VodConsole.Callbacks.Key");
}
