using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

/// <summary>
/// An administrator viewing the console as another user, read-only (docs/decisions/0020-view-as.md). The row is the
/// truth, so the view survives a reload and reaches every instance; at most one per administrator. It ends when the
/// administrator stops, at <see cref="EndsAt"/>, or as soon as they are no longer an administrator or the viewed user
/// becomes one (<see cref="ViewAsService"/> ignores it from then on, the lapse worker removes it).
/// </summary>
public sealed class ViewAsSession
{
    public required string AdministratorId { get; set; }
    public required string ViewedUserId { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime EndsAt { get; set; }
}
