using VodConsole.Core.Common;
using VodConsole.Core.Playback;

namespace VodConsole.Tests.Playback;

public sealed class UrlSigningTests
{
    private const string Key = "Secret1234Key";
    private const string Path = "/play/1500000123/42";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_signed_url_verifies_until_it_expires()
    {
        var (t, sign) = UrlSigning.Sign(Key, Path, Now.AddMinutes(10));

        Assert.Equal(SignatureCheck.Valid, UrlSigning.Verify(Key, Path, t, sign, Now));
        Assert.Equal(SignatureCheck.Valid, UrlSigning.Verify(Key, Path, t, sign, Now.AddMinutes(10)));
    }

    [Fact]
    public void T_is_lower_case_hex_unix_seconds_and_sign_is_lower_case_hex_sha256()
    {
        var (t, sign) = UrlSigning.Sign(Key, Path, Now);

        Assert.Equal(Now.ToUnixTimeSeconds().ToString("x"), t);
        Assert.Matches("^[0-9a-f]{64}$", sign);
    }

    [Fact]
    public void A_signature_made_with_another_key_is_bad()
    {
        var (t, sign) = UrlSigning.Sign("OtherKey5678", Path, Now.AddMinutes(10));

        Assert.Equal(SignatureCheck.BadSignature, UrlSigning.Verify(Key, Path, t, sign, Now));
    }

    [Fact]
    public void A_signed_url_is_expired_after_its_time()
    {
        var (t, sign) = UrlSigning.Sign(Key, Path, Now.AddMinutes(-1));

        Assert.Equal(SignatureCheck.Expired, UrlSigning.Verify(Key, Path, t, sign, Now));
    }

    [Fact]
    public void A_signature_does_not_carry_over_to_another_path_or_a_later_expiry()
    {
        var (t, sign) = UrlSigning.Sign(Key, Path, Now.AddMinutes(10));
        var later = Now.AddDays(30).ToUnixTimeSeconds().ToString("x");

        Assert.Equal(SignatureCheck.BadSignature, UrlSigning.Verify(Key, "/play/1500000123/43", t, sign, Now));
        Assert.Equal(SignatureCheck.BadSignature, UrlSigning.Verify(Key, Path, later, sign, Now));
        Assert.Equal(SignatureCheck.BadSignature, UrlSigning.Verify(Key, Path, t, sign.ToUpperInvariant(), Now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("6742a2b0", null)]
    [InlineData(null, "abc")]
    public void A_url_without_t_or_sign_is_missing_its_signature(string? t, string? sign)
    {
        Assert.Equal(SignatureCheck.Missing, UrlSigning.Verify(Key, Path, t, sign, Now));
    }

    [Theory]
    [InlineData("abcdefgh")]
    [InlineData("ABCdef12345678901234")]
    [InlineData("0123456789")]
    public void Keys_of_8_to_20_letters_and_digits_are_accepted(string key)
    {
        UrlSigning.ValidateKey(key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc1234")]
    [InlineData("abcdefghij0123456789x")]
    [InlineData("abcd-1234")]
    [InlineData("abcd 1234")]
    [InlineData("äbcdefgh1")]
    public void Other_keys_are_refused_with_a_message_for_the_key_field(string? key)
    {
        var error = Assert.Throws<DomainRuleException>(() => UrlSigning.ValidateKey(key));

        Assert.Equal("key", error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Generated_keys_are_valid_and_differ()
    {
        var first = UrlSigning.GenerateKey();

        UrlSigning.ValidateKey(first);
        Assert.NotEqual(first, UrlSigning.GenerateKey());
    }

    [Fact]
    public void Signing_with_an_invalid_key_is_refused()
    {
        Assert.Throws<DomainRuleException>(() => UrlSigning.Sign("short", Path, Now));
    }
}
