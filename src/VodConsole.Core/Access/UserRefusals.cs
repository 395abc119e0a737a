using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

/// <summary>
/// What an administrator may not do to a user, and why (null where it is allowed). One answer for both sides: the
/// Users & access page disables the action and shows the reason, and <see cref="UserAccessService"/> refuses it with the
/// same words, so the page never offers what the service would refuse.
/// </summary>
/// <param name="Lock">Why the user cannot be locked.</param>
/// <param name="Remove">Why the user cannot be removed.</param>
/// <param name="TakeAdministrator">Why the user's Administrator access cannot be taken away (null too when they have none).</param>
public sealed record UserRefusals(string? Lock, string? Remove, string? TakeAdministrator)
{
    /// <param name="actorId">The administrator acting (null for system work).</param>
    /// <param name="administratorCount">How many administrators the account has, the target included.</param>
    public static UserRefusals For(ConsoleUser target, string? actorId, int administratorCount)
    {
        var self = target.Id == actorId;
        return new(
            Lock: self ? "You cannot lock yourself out."
                : target.IsOwner ? "The account owner cannot be locked."
                : null,
            Remove: self ? "You cannot remove yourself; ask another administrator."
                : target.IsOwner ? "The account owner cannot be removed."
                : target.IsAdministrator && administratorCount <= 1 ? "The last administrator cannot be removed."
                : null,
            TakeAdministrator: !target.IsAdministrator ? null
                : target.IsOwner ? "The account owner is always an Administrator."
                : self ? "You cannot take away your own Administrator access; ask another administrator."
                : null);
    }
}
