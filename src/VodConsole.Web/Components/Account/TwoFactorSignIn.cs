using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;

namespace VodConsole.Web.Components.Account;

/// <summary>How the second sign-in step ended, for the page to answer.</summary>
internal enum SecondStepOutcome { SignedIn, WrongCode, LockedOut }

/// <summary>
/// The second step of signing in, after the right password, for the two pages that take it: a code from the
/// authenticator app, or a recovery code. Every attempt goes on record (never the code). Identity counts wrong
/// authenticator codes toward lockout but not wrong recovery codes, nor does it refuse a locked account one:
/// here both count and both are refused, so the fifth wrong attempt of either kind locks the account.
/// </summary>
internal sealed class TwoFactorSignIn(SignInManager<ConsoleUser> signInManager, AuditLog audit)
{
    private UserManager<ConsoleUser> Users => signInManager.UserManager;

    /// <summary>Who gave the right password in this browser a few minutes ago; null once that has expired.</summary>
    public Task<ConsoleUser?> PendingUserAsync() => signInManager.GetTwoFactorAuthenticationUserAsync();

    public async Task<SecondStepOutcome> WithAuthenticatorCodeAsync(ConsoleUser user, string code, bool isPersistent, bool rememberBrowser)
    {
        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberBrowser);
        var outcome = result.Succeeded ? SecondStepOutcome.SignedIn
            : result.IsLockedOut ? SecondStepOutcome.LockedOut
            : SecondStepOutcome.WrongCode;
        await RecordAsync(user, outcome, AuditActions.TwoFactorSignIn, new { Method = "authenticator app", RememberBrowser = rememberBrowser });
        return outcome;
    }

    public async Task<SecondStepOutcome> WithRecoveryCodeAsync(ConsoleUser user, string recoveryCode)
    {
        SecondStepOutcome outcome;
        if (await Users.IsLockedOutAsync(user))
        {
            outcome = SecondStepOutcome.LockedOut;
        }
        else if ((await signInManager.TwoFactorRecoveryCodeSignInAsync(recoveryCode)).Succeeded)
        {
            outcome = SecondStepOutcome.SignedIn;
        }
        else
        {
            await Users.AccessFailedAsync(user);
            outcome = await Users.IsLockedOutAsync(user) ? SecondStepOutcome.LockedOut : SecondStepOutcome.WrongCode;
        }
        object details = outcome == SecondStepOutcome.SignedIn
            ? new { Method = "recovery code", RecoveryCodesLeft = await Users.CountRecoveryCodesAsync(user) }
            : new { Method = "recovery code" };
        await RecordAsync(user, outcome, AuditActions.RecoveryCodeSignIn, details);
        return outcome;
    }

    private Task RecordAsync(ConsoleUser user, SecondStepOutcome outcome, string signedIn, object details)
    {
        var action = outcome switch
        {
            SecondStepOutcome.SignedIn => signedIn,
            SecondStepOutcome.LockedOut => AuditActions.LockedOut,
            _ => AuditActions.TwoFactorSignInFailed,
        };
        var email = user.Email ?? "";
        return audit.RecordAsync(user.Id, email, "", action, null, AuditTargets.User(email), null, details);
    }
}
