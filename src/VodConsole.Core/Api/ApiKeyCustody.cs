using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Api;

/// <summary>
/// A key follows the access of the user responsible for it (<see cref="ApiKey.ResponsibleUserId"/>): when that user's
/// access changes, the keys it no longer covers are disabled with the reason, in the context that saves the change, so
/// both are saved together or not at all (docs/decisions/0010-api-keys-follow-their-creator.md).
/// </summary>
internal static class ApiKeyCustody
{
    /// <summary>
    /// Disables the user's enabled keys that <paramref name="stillCovered"/> refuses, with <paramref name="reason"/>;
    /// returns them for the audit log. Nothing is saved here.
    /// </summary>
    public static async Task<IReadOnlyList<ApiKey>> DisableUncoveredAsync(
        VodDbContext db, string userId, Func<ApiKey, bool> stillCovered, string reason, CancellationToken ct)
    {
        var keys = await db.ApiKeys.Where(k => k.ResponsibleUserId == userId && k.IsEnabled).ToListAsync(ct);
        var disabled = keys.Where(k => !stillCovered(k)).ToList();
        foreach (var key in disabled)
        {
            key.IsEnabled = false;
            key.DisabledReason = reason.Length <= ApiKey.DisabledReasonMaxLength ? reason : reason[..(ApiKey.DisabledReasonMaxLength - 1)] + "…";
        }
        return disabled;
    }

    /// <summary>
    /// Whether the access a user keeps covers the key: an account key needs an Administrator; an application key needs an
    /// Administrator or a grant on its application at least as strong as the key (a Full key needs Full).
    /// </summary>
    public static bool Covers(bool isAdministrator, IReadOnlyDictionary<long, ApplicationAccess> grants, ApiKey key) =>
        isAdministrator
        || (key.ApplicationId is { } applicationId
            && grants.TryGetValue(applicationId, out var access)
            && (access == ApplicationAccess.Full || key.Access == ApplicationAccess.ReadOnly));
}
