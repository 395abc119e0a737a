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
/// Unique per user and application; removed with the user.
/// </summary>
public sealed class ApplicationGrant
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ConsoleUser? User { get; set; }
    public long ApplicationId { get; set; }
    public ApplicationAccess Access { get; set; }
}
