using VodConsole.Web.Components.Account;

namespace VodConsole.Tests.Components;

public sealed class QrCodesTests
{
    [Fact]
    public void A_qr_code_is_a_png_data_uri_that_the_content_security_policy_allows()
    {
        var uri = QrCodes.PngDataUri("otpauth://totp/VodConsole:a%40b.c?secret=ABCDEFGHIJKLMNOP&issuer=VodConsole&digits=6");

        Assert.StartsWith("data:image/png;base64,", uri);
        var png = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Contains("img-src 'self' data:", VodConsole.Web.Setup.SecurityHeaders.PolicyWith("nonce"));
    }
}
