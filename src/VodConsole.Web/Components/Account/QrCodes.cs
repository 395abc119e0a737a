using QRCoder;

namespace VodConsole.Web.Components.Account;

internal static class QrCodes
{
    /// <summary>
    /// A QR code as a PNG data URI, drawn on the server: the page needs no script, and the content security policy's
    /// img-src allows data: images. Error correction Q, as authenticator apps read it from a screen at an angle.
    /// </summary>
    public static string PngDataUri(string text, int pixelsPerModule = 5)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        using var png = new PngByteQRCode(data);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(pixelsPerModule));
    }
}
