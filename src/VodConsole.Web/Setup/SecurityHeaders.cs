using System.Security.Cryptography;

namespace VodConsole.Web.Setup;

/// <summary>
/// Headers every response carries. The content security policy allows only the console's own scripts, plus the one
/// inline script Blazor renders (the import map), which carries this request's nonce. Styles allow inline because
/// MudBlazor sets style attributes; media and images may be blobs for previews.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "csp-nonce";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                Set(context.Response.Headers, context.Request.Path.StartsWithSegments(Api.ApiEndpoints.ReferencePath)
                    ? ApiReferencePolicy
                    : PolicyWith(nonce));
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The same headers for responses that are never a page of the console (the playback domain's files): no inline
    /// script can run in them, so the policy needs no nonce and is one string for every response.
    /// </summary>
    public static IApplicationBuilder UseFileSecurityHeaders(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            Set(context.Response.Headers, FilePolicy);
            return next(context);
        });
        return app;
    }

    private static void Set(IHeaderDictionary headers, string policy)
    {
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Signed playback links carry their signature in the query: never hand full URLs to other sites.
        headers["Referrer-Policy"] = "same-origin";
    }

    /// <summary>The nonce of this request's policy, for the inline scripts the console renders itself.</summary>
    public static string? NonceOf(HttpContext context) => context.Items[NonceKey] as string;

    /// <summary>
    /// The API reference page (Scalar) writes its configuration as an inline script and styles itself inline, so its path,
    /// and only its path, allows inline scripts. Everything else stays as strict: its own origin only, never framed.
    /// </summary>
    internal const string ApiReferencePolicy =
        "default-src 'self'; " +
        "script-src 'self' 'unsafe-inline'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    internal static string PolicyWith(string nonce) => Policy($"script-src 'self' 'nonce-{nonce}'; ");

    /// <summary>A browser that opens a media file shows it in a page of its own: its media and images stay allowed.</summary>
    internal static readonly string FilePolicy = Policy("script-src 'self'; ");

    private static string Policy(string scripts) =>
        "default-src 'self'; " +
        scripts +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "media-src 'self' blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";
}
