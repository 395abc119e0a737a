using VodConsole.Core.Common;

namespace VodConsole.Core.Access;

/// <summary>
/// The second factors people type, cleaned the way they are shown to them: authenticator apps print "123 456",
/// recovery codes read "ABCDE-FGHIJ". Each method returns the code to check, or refuses it with the message the page shows.
/// </summary>
public static class TwoFactorCodes
{
    public const int AuthenticatorCodeLength = 6;
    public const string Field = "code";

    public static string AuthenticatorCode(string? input)
    {
        var code = WithoutSeparators(input);
        if (code.Length == 0)
        {
            throw new DomainRuleException("Enter the 6-digit code your authenticator app shows.", Field);
        }
        if (!code.All(char.IsAsciiDigit))
        {
            throw new DomainRuleException("The code has digits only: enter the 6 digits your authenticator app shows.", Field);
        }
        if (code.Length != AuthenticatorCodeLength)
        {
            throw new DomainRuleException($"The code has 6 digits; this one has {code.Length}.", Field);
        }
        return code;
    }

    public static string RecoveryCode(string? input)
    {
        var code = string.Concat((input ?? "").Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        if (code.Length == 0)
        {
            throw new DomainRuleException("Enter one of your recovery codes.", Field);
        }
        // Identity makes two groups of five joined by a hyphen; someone copying from paper may leave the hyphen out.
        return code.Length == 10 && !code.Contains('-') ? code[..5] + "-" + code[5..] : code;
    }

    /// <summary>
    /// Whether a proof typed on the two-factor page is an authenticator code rather than a password. It cannot be
    /// both: a password has letters and symbols besides digits (the password policy asks for them).
    /// </summary>
    public static bool IsAuthenticatorCode(string? input)
    {
        var code = WithoutSeparators(input);
        return code.Length == AuthenticatorCodeLength && code.All(char.IsAsciiDigit);
    }

    private static string WithoutSeparators(string? input) =>
        string.Concat((input ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-'));
}
