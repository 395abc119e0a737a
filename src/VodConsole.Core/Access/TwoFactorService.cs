using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

public sealed record TwoFactorStatus(bool IsEnabled, int RecoveryCodesLeft);

/// <summary>
/// What an authenticator app needs: the shared key (in groups of four to type it) and the otpauth URI a QR code carries.
/// <see cref="IsNewKey"/> says the key was made just now, which renewed the user's security stamp.
/// </summary>
public sealed record AuthenticatorSetup(string SharedKey, string FormattedKey, string Uri, bool IsNewKey);

/// <summary>
/// Two-factor sign-in with an authenticator app, which any user may turn on for themselves: set up the app, turn it on
/// with a code from it, turn it off or start over with a new key (both need the current code or the password), new
/// recovery codes. Follows the Identity template's steps. Every change is on record with what it changed — never the
/// key, a code or a recovery code.
/// </summary>
public sealed class TwoFactorService(UserManager<ConsoleUser> users, AuditLog audit, AccessPolicy access)
{
    public const string Issuer = "VodConsole";
    public const int RecoveryCodeCount = 10;
    public const string ProofField = "proof";
    public const string WrongCodeMessage = "That code is not correct. Enter the code your app shows now; it changes every 30 seconds.";
    public const string WrongProofMessage = "The code or password is not correct.";

    public async Task<TwoFactorStatus> StatusAsync(string userId)
    {
        var user = await FindAsync(userId);
        return new TwoFactorStatus(await users.GetTwoFactorEnabledAsync(user), await users.CountRecoveryCodesAsync(user));
    }

    /// <summary>
    /// The key to set the app up with, made on first use. Only while two-factor sign-in is off: once it is on, the key
    /// is never shown again, so a session left open cannot copy it to a second device.
    /// </summary>
    public async Task<AuthenticatorSetup> SetupAsync(string userId)
    {
        var user = await FindAsync(userId);
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            throw new DomainRuleException("Two-factor sign-in is already on. To move to another app, reset the authenticator key.");
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        var isNew = string.IsNullOrEmpty(key);
        if (isNew)
        {
            (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed();
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        return new AuthenticatorSetup(key!, FormatKey(key!), AuthenticatorUri(user.Email ?? "", key!), isNew);
    }

    /// <summary>Turns two-factor sign-in on once the app proves it has the key; returns the recovery codes, shown once.</summary>
    public async Task<IReadOnlyList<string>> EnableAsync(string userId, string? code, CancellationToken ct = default)
    {
        var user = await FindAsync(userId);
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            throw new DomainRuleException("Two-factor sign-in is already on.");
        }
        var token = TwoFactorCodes.AuthenticatorCode(code);
        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)) || !await VerifyCodeAsync(user, token))
        {
            throw new DomainRuleException(WrongCodeMessage, TwoFactorCodes.Field);
        }
        (await users.SetTwoFactorEnabledAsync(user, true)).ThrowIfFailed();
        // Always a fresh set: codes left from an earlier time it was on may have been seen by anyone since.
        var codes = await NewRecoveryCodesAsync(user);
        await RecordAsync(user, AuditActions.TwoFactorEnabled,
            new { TwoFactorEnabled = false }, new { TwoFactorEnabled = true, RecoveryCodes = codes.Count }, ct);
        return codes;
    }

    /// <summary>Turns two-factor sign-in off; the password alone signs in again. Needs the current code or the password.</summary>
    public async Task DisableAsync(string userId, string? proof, CancellationToken ct = default)
    {
        var user = await FindAsync(userId);
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            throw new DomainRuleException("Two-factor sign-in is already off.");
        }
        await ProveAsync(user, proof, ct);
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed();
        await RecordAsync(user, AuditActions.TwoFactorDisabled, new { TwoFactorEnabled = true }, new { TwoFactorEnabled = false }, ct);
    }

    /// <summary>
    /// Replaces the key (a lost or replaced phone): the old app's codes stop working and two-factor sign-in is off until
    /// the app is set up again. Needs the current code or the password.
    /// </summary>
    public async Task ResetAuthenticatorAsync(string userId, string? proof, CancellationToken ct = default)
    {
        var user = await FindAsync(userId);
        var wasEnabled = await users.GetTwoFactorEnabledAsync(user);
        await ProveAsync(user, proof, ct);
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed();
        (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed();
        await RecordAsync(user, AuditActions.AuthenticatorReset,
            new { TwoFactorEnabled = wasEnabled }, new { TwoFactorEnabled = false, AuthenticatorKeyReplaced = true }, ct);
    }

    /// <summary>A new set of recovery codes, shown once; the old ones stop working.</summary>
    public async Task<IReadOnlyList<string>> GenerateRecoveryCodesAsync(string userId, CancellationToken ct = default)
    {
        var user = await FindAsync(userId);
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            throw new DomainRuleException("Recovery codes go with two-factor sign-in, which is off. Set up the authenticator app first.");
        }
        var left = await users.CountRecoveryCodesAsync(user);
        var codes = await NewRecoveryCodesAsync(user);
        await RecordAsync(user, AuditActions.RecoveryCodesGenerated, new { RecoveryCodesLeft = left }, new { RecoveryCodesLeft = codes.Count }, ct);
        return codes;
    }

    /// <summary>The key as the app's manual entry shows it: lower case, in groups of four.</summary>
    public static string FormatKey(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(group => new string(group)));

    /// <summary>The Key Uri Format authenticator apps read from a QR code: issuer, account, key, 6 digits (30 s, SHA-1 by default).</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>
    /// Checks the current authenticator code, or else the password (a password is never six digits alone). Failures count
    /// toward lockout as at sign-in, so a session left open cannot be used to try codes or passwords without end.
    /// </summary>
    private async Task ProveAsync(ConsoleUser user, string? proof, CancellationToken ct)
    {
        if (await users.IsLockedOutAsync(user))
        {
            throw new DomainRuleException(SignInMessages.LockedOut, ProofField);
        }
        if (string.IsNullOrWhiteSpace(proof))
        {
            throw new DomainRuleException("Enter the code your authenticator app shows, or your password.", ProofField);
        }
        var proven = TwoFactorCodes.IsAuthenticatorCode(proof)
            ? await VerifyCodeAsync(user, TwoFactorCodes.AuthenticatorCode(proof))
            : await users.CheckPasswordAsync(user, proof);
        if (proven)
        {
            (await users.ResetAccessFailedCountAsync(user)).ThrowIfFailed();
            return;
        }
        (await users.AccessFailedAsync(user)).ThrowIfFailed();
        if (await users.IsLockedOutAsync(user))
        {
            await RecordAsync(user, AuditActions.LockedOut, null, null, ct);
            throw new DomainRuleException(SignInMessages.LockedOut, ProofField);
        }
        throw new DomainRuleException(WrongProofMessage, ProofField);
    }

    private async Task<bool> VerifyCodeAsync(ConsoleUser user, string code) =>
        await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);

    private async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(ConsoleUser user) =>
        // Identity answers null when it could not save them, e.g. the account changed meanwhile in another tab.
        (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList()
        ?? throw new DomainRuleException("The recovery codes could not be saved because your account changed meanwhile. Try again.");

    private Task RecordAsync(ConsoleUser user, string action, object? before, object? after, CancellationToken ct) =>
        audit.RecordAsync(user.Id, user.Email ?? "", "", action, null, AuditTargets.User(user.Email ?? ""), before, after, ct);

    /// <summary>The user, who must be the one the scope acts for: nobody manages another person's second factor.</summary>
    private async Task<ConsoleUser> FindAsync(string userId)
    {
        access.RequireSelf(userId);
        return await users.FindByIdAsync(userId) ?? throw new DomainRuleException("Not found: this user does not exist.");
    }
}
