using VodConsole.Core.Access;
using VodConsole.Core.Common;

namespace VodConsole.Tests.Access;

public sealed class TwoFactorCodesTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("123-456", "123456")]
    public void An_authenticator_code_is_read_as_the_app_shows_it(string typed, string expected) =>
        Assert.Equal(expected, TwoFactorCodes.AuthenticatorCode(typed));

    [Theory]
    [InlineData(null, "Enter the 6-digit code your authenticator app shows.")]
    [InlineData("  ", "Enter the 6-digit code your authenticator app shows.")]
    [InlineData("12a456", "The code has digits only: enter the 6 digits your authenticator app shows.")]
    [InlineData("12345", "The code has 6 digits; this one has 5.")]
    [InlineData("1234567", "The code has 6 digits; this one has 7.")]
    public void A_code_that_cannot_be_one_is_refused_with_a_clear_message(string? typed, string message)
    {
        var refused = Assert.Throws<DomainRuleException>(() => TwoFactorCodes.AuthenticatorCode(typed));

        Assert.Equal(message, refused.Message);
        Assert.Equal(TwoFactorCodes.Field, refused.Field);
    }

    [Theory]
    [InlineData("ABCDE-FGHJK", "ABCDE-FGHJK")]
    [InlineData(" abcde-fghjk ", "ABCDE-FGHJK")]
    [InlineData("abcdefghjk", "ABCDE-FGHJK")]
    [InlineData("abc de fgh jk", "ABCDE-FGHJK")]
    public void A_recovery_code_is_read_whatever_its_case_spaces_or_missing_hyphen(string typed, string expected) =>
        Assert.Equal(expected, TwoFactorCodes.RecoveryCode(typed));

    [Fact]
    public void An_empty_recovery_code_is_refused() =>
        Assert.Equal("Enter one of your recovery codes.", Assert.Throws<DomainRuleException>(() => TwoFactorCodes.RecoveryCode(" ")).Message);

    [Theory]
    [InlineData("123456", true)]
    [InlineData("123 456", true)]
    [InlineData("Owner-Passw0rd!", false)]
    [InlineData("1234567890", false)]
    public void A_proof_is_a_code_only_when_it_is_six_digits(string proof, bool isCode) =>
        Assert.Equal(isCode, TwoFactorCodes.IsAuthenticatorCode(proof));

    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(2000000000, "279037")]
    public void The_tests_authenticator_matches_the_rfc_6238_test_vectors(long unixSeconds, string code) =>
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last six of the eight digits.
        Assert.Equal(code, Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
}
