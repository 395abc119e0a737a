namespace VodConsole.Core.Access;

/// <summary>What sign-in says when it refuses, the same at every step (password, authenticator code, recovery code).</summary>
public static class SignInMessages
{
    public const string LockedOut =
        "This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask an administrator to unlock it.";
}
