namespace VodConsole.Core.Roles;

/// <summary>What kind of committed change a <see cref="ConsoleChange"/> announces, and so whose open tabs must look again.</summary>
public enum ConsoleChangeKind
{
    /// <summary>The account or an application changed (sub-applications switch, service status, an application added,
    /// renamed, disabled or deleted): every signed-in user's catalog may differ.</summary>
    Account,

    /// <summary>One user changed (grants, Administrator, name, security stamp, removal): that user's catalog and sessions.</summary>
    User,

    /// <summary>Changes may have been missed (the feed reconnected): every tab looks again, once.</summary>
    Resync,
}

/// <summary>
/// A committed change that affects what someone may see, announced on the <see cref="IChangeFeed"/>. It names no more
/// than who must look again: a tab reloads what it shows from the database, the only truth.
/// </summary>
public sealed record ConsoleChange(ConsoleChangeKind Kind, string? UserId = null)
{
    public static ConsoleChange Account { get; } = new(ConsoleChangeKind.Account);

    public static ConsoleChange Resync { get; } = new(ConsoleChangeKind.Resync);

    public static ConsoleChange ForUser(string userId) => new(ConsoleChangeKind.User, userId);

    /// <summary>Whether the roles <paramref name="userId"/> may use might differ now.</summary>
    public bool AffectsCatalogOf(string userId) => Kind != ConsoleChangeKind.User || UserId == userId;

    /// <summary>Whether <paramref name="userId"/>'s sessions might have ended (a security stamp changes only with its user).</summary>
    public bool AffectsSessionOf(string userId) => Kind == ConsoleChangeKind.Resync || (Kind == ConsoleChangeKind.User && UserId == userId);
}
