using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Playback;

/// <summary>
/// Reads and saves an application's playback settings through <see cref="ApplicationData"/>, keeping the signing key
/// encrypted at rest, and makes (signed) playback links.
/// </summary>
public sealed class PlaybackSettingsService(
    ApplicationData data, RoleContext roles, AccessPolicy access, AuditLog audit, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const int LinkMaxValidityMinutes = 7 * 24 * 60;

    private readonly IDataProtector protector = KeyProtector(dataProtection);

    /// <summary>The one Data Protection purpose the signing key is encrypted under (this page and configuration apply alike).</summary>
    internal static IDataProtector KeyProtector(IDataProtectionProvider provider) => provider.CreateProtector("VodConsole.Playback.SigningKey");

    /// <summary>The path the playback endpoint serves a media item at; signatures cover exactly this.</summary>
    public static string PlayPath(long applicationId, long mediaId) =>
        string.Create(CultureInfo.InvariantCulture, $"/play/{applicationId}/{mediaId}");

    /// <summary>The current application's settings; the key only for those who may change them, as it lets one sign links.</summary>
    public async Task<PlaybackSecurity> GetAsync(CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        var settings = await ReadAsync(applicationId, ct);
        return settings.SigningKey is null || await access.MayWriteAsync(applicationId, ct)
            ? settings
            : settings with { SigningKey = null, KeyHidden = true };
    }

    /// <summary>
    /// Why the playback domain refuses an application's media (403), or null when it serves them: a disabled
    /// application, and every application while the account is suspended. Management and uploads go on regardless.
    /// </summary>
    public static string? Refusal(ApplicationStatus application, ServiceStatus service) =>
        service == ServiceStatus.Suspended
            ? "The service is suspended, so the playback domain refuses every application's media (HTTP 403) until an administrator resumes it."
            : application == ApplicationStatus.Disabled
                ? "This application is disabled, so its playback domain refuses its media (HTTP 403) until an administrator enables it."
                : null;

    /// <summary>The current application's <see cref="Refusal"/>, as the playback endpoint would decide it now.</summary>
    public async Task<string?> PlaybackRefusalAsync(CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        var status = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.Status).SingleAsync(ct);
        return Refusal(status, await db.Accounts.Select(a => a.ServiceStatus).SingleAsync(ct));
    }

    /// <summary>
    /// An application's settings with the key, for a caller that resolved the application itself: system work, or a user
    /// with full access to it. The playback domain reads them with the rest of its rule (<see cref="PlaybackGate"/>).
    /// </summary>
    public async Task<PlaybackSecurity> GetForAsync(long applicationId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(applicationId, ct);
        return await ReadAsync(applicationId, ct);
    }

    private async Task<PlaybackSecurity> ReadAsync(long applicationId, CancellationToken ct)
    {
        await using var db = await data.OpenForAsync(applicationId, ct);
        var row = await db.PlaybackSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        return row is null
            ? PlaybackSecurity.Off
            : new(row.SigningEnabled, row.ProtectedSigningKey is null ? null : protector.Unprotect(row.ProtectedSigningKey));
    }

    /// <summary>Saves the current application's settings. Signing needs a valid key; a key given while signing is off is kept if valid.</summary>
    public Task<PlaybackSecurity> SaveAsync(bool signingEnabled, string? signingKey, CancellationToken ct = default) =>
        SaveForAsync(roles.CurrentApplicationId, signingEnabled, signingKey, ct);

    /// <summary>Saves an application's settings, for a caller that resolved and checked the application itself.</summary>
    public async Task<PlaybackSecurity> SaveForAsync(long applicationId, bool signingEnabled, string? signingKey, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(applicationId, ct);
        var key = string.IsNullOrWhiteSpace(signingKey) ? null : signingKey.Trim();
        if (signingEnabled || key is not null)
        {
            UrlSigning.ValidateKey(key);
        }

        await using var db = await data.OpenForAsync(applicationId, ct);
        var row = await db.PlaybackSettings.SingleOrDefaultAsync(ct);
        if (row is null)
        {
            row = new PlaybackSettings { ApplicationId = applicationId };
            db.PlaybackSettings.Add(row);
        }
        var before = new { row.SigningEnabled, HasKey = row.ProtectedSigningKey is not null };
        var keyChanged = (row.ProtectedSigningKey is null ? null : protector.Unprotect(row.ProtectedSigningKey)) != key;
        row.SigningEnabled = signingEnabled;
        row.ProtectedSigningKey = key is null ? null : protector.Protect(key);
        await db.SaveChangesAsync(ct);
        // Never the key itself: only whether there is one and whether it changed.
        await audit.RecordAsync(AuditActions.PlaybackSettingsChanged, applicationId, "Playback settings", before,
            new { SigningEnabled = signingEnabled, HasKey = key is not null, KeyChanged = keyChanged }, ct);
        return new(signingEnabled, key);
    }

    /// <summary>
    /// A playback link for a media item of the current application under <paramref name="baseUrl"/>; signed, valid for
    /// the given minutes, when the saved settings turn signing on.
    /// </summary>
    public async Task<string> LinkAsync(string baseUrl, long mediaId, int validMinutes, CancellationToken ct = default)
    {
        if (validMinutes is < 1 or > LinkMaxValidityMinutes)
        {
            throw new DomainRuleException($"A link is valid for 1 to {LinkMaxValidityMinutes} minutes (7 days).", "minutes");
        }
        var applicationId = roles.CurrentApplicationId;
        await using (var db = await data.OpenAsync(ct))
        {
            if (!await db.Media.AnyAsync(m => m.Id == mediaId && m.Status == MediaStatus.Normal, ct))
            {
                throw new DomainRuleException($"This application has no playable media with ID {mediaId}.", "mediaId");
            }
        }

        var path = PlayPath(applicationId, mediaId);
        var link = baseUrl.TrimEnd('/') + path;
        var settings = await ReadAsync(applicationId, ct);
        if (!settings.SigningEnabled || settings.SigningKey is null)
        {
            return link;
        }
        var (t, sign) = UrlSigning.Sign(settings.SigningKey, path, clock.GetUtcNow().AddMinutes(validMinutes));
        return $"{link}?t={t}&sign={sign}";
    }

    /// <summary>
    /// The URL prefix (ending with <c>/</c>) of a finished job's output tree of the current application under
    /// <paramref name="baseUrl"/>: append a file of the tree (<c>master.m3u8</c>). When the application signs URLs the
    /// prefix carries one directory-scoped signature valid for the given minutes, which authorises every file of the
    /// tree, so a player follows the master playlist's relative URIs without further signing (<see cref="TreeSigning"/>).
    /// </summary>
    public async Task<string> TreeLinkAsync(string baseUrl, long mediaId, long jobId, int validMinutes, CancellationToken ct = default)
    {
        if (validMinutes is < 1 or > LinkMaxValidityMinutes)
        {
            throw new DomainRuleException($"A link is valid for 1 to {LinkMaxValidityMinutes} minutes (7 days).", "minutes");
        }
        var applicationId = roles.CurrentApplicationId;
        await access.RequireReadAsync(applicationId, ct);
        await using (var db = await data.OpenAsync(ct))
        {
            if (!await db.TranscodeJobs.AnyAsync(j => j.Id == jobId && j.MediaId == mediaId && j.OutputKey != null, ct))
            {
                throw new DomainRuleException($"Media {mediaId} has no transcoding output with job ID {jobId}.", "jobId");
            }
        }

        var settings = await ReadAsync(applicationId, ct);
        var directory = settings.SigningEnabled && settings.SigningKey is not null
            ? TreeSigning.SignedDirectory(settings.SigningKey, applicationId, mediaId, jobId, clock.GetUtcNow().AddMinutes(validMinutes))
            : TreeSigning.DirectoryOf(applicationId, mediaId, jobId);
        return baseUrl.TrimEnd('/') + directory;
    }
}
