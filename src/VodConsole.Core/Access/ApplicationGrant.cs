using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

/// <summary>What a grant lets a user do inside one application.</summary>
public enum ApplicationAccess
{
    /// <summary>Sees the application's pages and data, changes nothing.</summary>
    ReadOnly,
    /// <summary>Everything inside the application.</summary>
    Full,
}

/// <summary>
/// One user's access to one application. Administrators need none: they have every application in full.
/// Unique per user and application; removed with the user. A grant may end by itself at <see cref="ExpiresAt"/>: from that
/// instant every check ignores it, and the lapse worker removes it soon after (<see cref="AccessLapses"/>).
/// </summary>
public sealed class ApplicationGrant
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ConsoleUser? User { get; set; }
    public long ApplicationId { get; set; }
    public ApplicationAccess Access { get; set; }

    /// <summary>When the grant ends by itself (UTC); null: until someone changes it.</summary>
    public DateTime? ExpiresAt { get; set; }
}

public static class ApplicationGrantQueries
{
    /// <summary>The grants that count at <paramref name="now"/> (UTC): none past its expiry, even before the lapse worker removes it.</summary>
    public static IQueryable<ApplicationGrant> Active(this IQueryable<ApplicationGrant> grants, DateTime now) =>
        grants.Where(g => g.ExpiresAt == null || g.ExpiresAt > now);
}
