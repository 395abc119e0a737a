namespace VodConsole.Core.Audit;

/// <summary>
/// One change on record: who did what to which target, in which role and application, with the values before and
/// after (JSON). Append-only: nothing in the console updates or deletes an entry, and the database refuses it too.
/// </summary>
public sealed class AuditEntry
{
    public const int ActorMaxLength = 256;
    public const int RoleMaxLength = 60;
    public const int ActionMaxLength = 40;
    public const int TargetMaxLength = 300;
    public const int ValuesMaxLength = 4000;

    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The user's ID, or null for the system (workers, start-up) and for failed sign-ins of unknown names.</summary>
    public string? UserId { get; set; }
    /// <summary>The user's e-mail (or the name typed at a failed sign-in), or "system".</summary>
    public string Actor { get; set; } = "";
    /// <summary>The role the console was in ("Admin" or the application's name at the time).</summary>
    public string Role { get; set; } = "";
    public long? ApplicationId { get; set; }
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}
