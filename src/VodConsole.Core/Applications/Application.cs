using VodConsole.Core.Common;

namespace VodConsole.Core.Applications;

public enum ApplicationKind { Primary, Sub }

public enum ApplicationStatus { Enabled, Disabled }

/// <summary>
/// An isolated part of the account: the primary ("default") application, or a sub-application.
/// </summary>
public sealed class Application : IVersioned
{
    /// <summary>Numeric, globally unique, assigned by the system (see <see cref="ApplicationIdGenerator"/>).</summary>
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>
    /// The name's <see cref="TextRules.NameKey"/> under a unique index: names are unique ignoring case, compatibility
    /// forms and invisible characters, on every provider.
    /// </summary>
    public string NormalizedName { get; set; } = "";
    public string Description { get; set; } = "";
    public ApplicationKind Kind { get; set; }
    public ApplicationStatus Status { get; set; }
    /// <summary>The status to restore when the suspended account resumes; null while the account is active.</summary>
    public ApplicationStatus? StatusBeforeSuspension { get; set; }
    /// <summary>Created by the demo seeder; shown with a "(demo)" mark.</summary>
    public bool IsDemo { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }

    public bool IsPrimary => Kind == ApplicationKind.Primary;

    public static string Normalize(string name) => TextRules.NameKey(name);
}
