using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;

namespace VodConsole.Core.Playback;

public enum PlaybackVerdict { NotFound, Forbidden, Allowed }

/// <summary>
/// What the playback domain may serve: the verdict, and for an allowed request the file's key and the application's
/// signing rule (checked by the endpoint, which knows the URL's form). <see cref="Key"/> is the original's storage key or
/// the output tree's key.
/// </summary>
public sealed record PlaybackPass(PlaybackVerdict Verdict, string? Key = null, string? ContentType = null, PlaybackSecurity? Security = null)
{
    public static readonly PlaybackPass NotFound = new(PlaybackVerdict.NotFound);
    public static readonly PlaybackPass Forbidden = new(PlaybackVerdict.Forbidden);
}

/// <summary>
/// The playback domain's one rule, for originals and derivative files alike: an unknown application, media item or
/// output is not found; a disabled application, a suspended account or an item not approved in review is 403. Every
/// fact it needs comes from one context and one statement (scalar subqueries, each an indexed lookup): this runs before
/// every range request a player sends, and four contexts with a query each made the endpoint a sixth as fast as static
/// files (docs/performance.md); a decision is then kept for a moment (<see cref="PlaybackRuleCache"/>). Only the
/// playback domain's own requests (system work) may call it: it reads any application's signing key.
/// </summary>
public sealed class PlaybackGate(ApplicationData data, AccessPolicy access, PlaybackRuleCache recent, IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector protector = PlaybackSettingsService.KeyProtector(dataProtection);

    /// <summary>The original file of a media item, at <c>/play/{appId}/{mediaId}</c>.</summary>
    public Task<PlaybackPass> OriginalAsync(long applicationId, long mediaId, CancellationToken ct = default) =>
        DecideAsync(applicationId, mediaId, jobId: null, ct);

    /// <summary>A finished job's output tree of a media item, at <c>/play/{appId}/{mediaId}/outputs/{jobId}/…</c>.</summary>
    public Task<PlaybackPass> OutputAsync(long applicationId, long mediaId, long jobId, CancellationToken ct = default) =>
        DecideAsync(applicationId, mediaId, jobId, ct);

    private async Task<PlaybackPass> DecideAsync(long applicationId, long mediaId, long? jobId, CancellationToken ct)
    {
        access.RequireSystem(); // it reads any application's signing key: only the playback domain's own requests may
        var key = (applicationId, mediaId, jobId);
        if (recent.TryGet(key, out var known))
        {
            return known;
        }
        var generation = recent.Generation;
        var pass = await ReadAsync(applicationId, mediaId, jobId, ct);
        recent.Keep(key, pass, generation);
        return pass;
    }

    private async Task<PlaybackPass> ReadAsync(long applicationId, long mediaId, long? jobId, CancellationToken ct)
    {
        Facts? facts;
        await using (var db = await data.OpenForAsync(applicationId, ct))
        {
            // The context is isolated to the application: another application's media, job or settings are not seen.
            // An original plays once its upload is processed; an output exists only for such an item anyway.
            var media = db.Media.Where(m => m.Id == mediaId && (jobId != null || m.Status == MediaStatus.Normal));
            facts = await db.Applications.Where(a => a.Id == applicationId).Select(a => new Facts
            {
                ApplicationStatus = a.Status,
                Suspended = db.Accounts.Any(x => x.ServiceStatus == ServiceStatus.Suspended),
                ReviewState = media.Select(m => (ReviewState?)m.ReviewState).FirstOrDefault(),
                Key = jobId == null
                    ? media.Select(m => m.StorageKey).FirstOrDefault()
                    : db.TranscodeJobs.Where(j => j.Id == jobId && j.MediaId == mediaId).Select(j => j.OutputKey).FirstOrDefault(),
                ContentType = jobId == null ? media.Select(m => m.ContentType).FirstOrDefault() : null,
                SigningEnabled = db.PlaybackSettings.Select(s => (bool?)s.SigningEnabled).FirstOrDefault(),
                ProtectedSigningKey = db.PlaybackSettings.Select(s => s.ProtectedSigningKey).FirstOrDefault(),
            }).SingleOrDefaultAsync(ct);
        }
        if (facts is null)
        {
            return PlaybackPass.NotFound;
        }
        // A disabled application's domain answers every request with 403, whatever it asks for.
        if (PlaybackSettingsService.Refusal(facts.ApplicationStatus, facts.Suspended ? ServiceStatus.Suspended : ServiceStatus.Active) is not null)
        {
            return PlaybackPass.Forbidden;
        }
        if (facts.ReviewState is null || facts.Key is null)
        {
            return PlaybackPass.NotFound;
        }
        // Awaiting review or blocked: the item (and every form of it) exists but may not play.
        if (facts.ReviewState != ReviewState.Approved)
        {
            return PlaybackPass.Forbidden;
        }
        var security = facts.SigningEnabled is true
            ? new PlaybackSecurity(true, facts.ProtectedSigningKey is null ? null : protector.Unprotect(facts.ProtectedSigningKey))
            : PlaybackSecurity.Off;
        return new PlaybackPass(PlaybackVerdict.Allowed, facts.Key, facts.ContentType, security);
    }

    private sealed class Facts
    {
        public ApplicationStatus ApplicationStatus { get; init; }
        public bool Suspended { get; init; }
        public ReviewState? ReviewState { get; init; }
        public string? Key { get; init; }
        public string? ContentType { get; init; }
        public bool? SigningEnabled { get; init; }
        public string? ProtectedSigningKey { get; init; }
    }
}
