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
/// <param name="Version">What a save hands back as <see cref="CallbackSettingsEdit.ExpectedVersion"/>; 0 before the first save.</param>
public sealed record CallbackConfiguration(
    CallbackMode Mode, string? Url, IReadOnlySet<CallbackEventType> EventTypes, string? Key, bool KeyHidden, int WaitingPullEvents, long Version)
{
    public override string ToString() => $"CallbackConfiguration {{ Mode = {Mode}, Url = {Url}, Version = {Version} }}"; // the key stays out of logs
}

/// <summary>What an operator saves on the callbacks page.</summary>
/// <param name="Url">Used only with Push; other modes keep the stored URL.</param>
/// <param name="EventTypes">Ignored with Off, which keeps the stored choice for when callbacks are turned on again.</param>
/// <param name="ExpectedVersion">The <see cref="CallbackConfiguration.Version"/> the operator started from.</param>
public sealed record CallbackSettingsEdit(CallbackMode Mode, string? Url, IReadOnlyCollection<CallbackEventType> EventTypes, long ExpectedVersion);

/// <summary>
/// Someone saved the callback settings after the caller read them. Nothing was written; <see cref="Current"/> is what is
/// stored now, so the page can show it and let the operator start again from it.
/// </summary>
public sealed class CallbackSettingsEditConflictException(CallbackConfiguration current)
    : Exception("The callback settings were changed by someone else after you opened them. Your changes were not saved.")
{
    public CallbackConfiguration Current { get; } = current;
}

/// <summary>
/// Reads and saves the current application's callback settings through <see cref="ApplicationData"/>, with the signing
/// key encrypted at rest. A key is generated the first time callbacks are saved, and replaced only on request.
/// </summary>
public sealed class CallbackSettingsService(
    ApplicationData data, RoleContext roles, AccessPolicy access, AuditLog audit, IDataProtectionProvider dataProtection,
    OutboundAddressPolicy addresses)
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
            return new(CallbackMode.Off, null, new HashSet<CallbackEventType>(), null, false, waiting, 0);
        }
        var mayWrite = await access.MayWriteAsync(applicationId, ct);
        var key = row.ProtectedKey is not null && mayWrite ? protector.Unprotect(row.ProtectedKey) : null;
        return new(row.Mode, row.Url, CallbackSubscriptions.Parse(row.EventTypes), key, row.ProtectedKey is not null && !mayWrite, waiting, row.Version);
    }

    /// <summary>
    /// Saves the mode, and what it uses: Push its URL (required, refused if the address policy would refuse it) and the
    /// events, Pull the events; Off changes nothing else, so turning callbacks back on finds them as they were. The first
    /// save makes the key. A save made after the operator's <see cref="CallbackSettingsEdit.ExpectedVersion"/> raises
    /// <see cref="CallbackSettingsEditConflictException"/> and nothing is written.
    /// </summary>
    public async Task<CallbackConfiguration> SaveAsync(CallbackSettingsEdit edit, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var url = edit.Mode == CallbackMode.Push ? ValidUrl(edit.Url) : null;

        await using var db = await data.OpenAsync(ct);
        var row = await FindOrAddAsync(db, ct);
        var adding = db.Entry(row).State == EntityState.Added;
        if (row.Version != edit.ExpectedVersion)
        {
            throw new CallbackSettingsEditConflictException(await GetAsync(ct));
        }
        var before = new { row.Mode, row.Url, row.EventTypes };
        var keyGenerated = row.ProtectedKey is null;
        row.Mode = edit.Mode;
        if (edit.Mode == CallbackMode.Push)
        {
            row.Url = url;
        }
        if (edit.Mode != CallbackMode.Off)
        {
            row.EventTypes = CallbackSubscriptions.Format(edit.EventTypes);
        }
        if (keyGenerated)
        {
            row.ProtectedKey = protector.Protect(CallbackSignature.GenerateKey());
        }
        if (adding)
        {
            // A new row starts above the 0 of "no settings yet", so two first saves cannot both expect it.
            row.Version = 1;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException failure) when (failure is DbUpdateConcurrencyException || adding)
        {
            // Another save changed the row (the version no longer matched) or added it first.
            throw new CallbackSettingsEditConflictException(await GetAsync(ct));
        }
        // Never the key: only that one was made.
        await audit.RecordAsync(AuditActions.CallbackSettingsChanged, row.ApplicationId, Target, before,
            new { row.Mode, row.Url, row.EventTypes, KeyGenerated = keyGenerated }, ct);
        return await GetAsync(ct);
    }

    /// <summary>Replaces the key: receivers must be given the new one, as every event from now on is signed with it.</summary>
    /// <remarks>Not an edit of the settings: it leaves their version alone, so an operator editing them meanwhile can still save.</remarks>
    public async Task<string> RegenerateKeyAsync(CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var key = CallbackSignature.GenerateKey();
        var protectedKey = protector.Protect(key);
        await using var db = await data.OpenAsync(ct);
        var hadKey = await db.CallbackSettings.AnyAsync(s => s.ProtectedKey != null, ct);
        var replaced = await db.CallbackSettings.ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedKey, protectedKey), ct);
        if (replaced == 0)
        {
            db.CallbackSettings.Add(new CallbackSettings
            {
                ApplicationId = db.IsolatedApplicationId!.Value, Mode = CallbackMode.Off, ProtectedKey = protectedKey,
            });
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(AuditActions.CallbackKeyRegenerated, db.IsolatedApplicationId!.Value, Target,
            new { HasKey = hadKey }, new { HasKey = true, KeyChanged = true }, ct);
        return key;
    }

    /// <summary>The trimmed URL events are pushed to, or a message for the operator.</summary>
    private string ValidUrl(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new DomainRuleException("Enter the URL that events are posted to.", UrlField);
        }
        if (OutboundUrl.Read(text, CallbackSettings.UrlMaxLength, "used for callbacks", addresses, out var parsed) is { } problem)
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
