using VodConsole.Web.Setup;

namespace VodConsole.Web.Playback;

/// <summary>
/// Players' requests (<c>/play/…</c>: originals and transcoding outputs) take a branch of the pipeline of their own. Nobody
/// signs in there and no page of the console is rendered, so the console's status-code pages, authentication,
/// authorization, antiforgery and per-request script nonce have nothing to do for them; they are most of the traffic,
/// and skipping that work is what brings the playback domain near plain static files (issue 15 item 4, decision 0023).
/// Unknown paths answer a bare 404, as players expect.
/// </summary>
internal static class PlaybackDomain
{
    public const string Prefix = "/play";

    public static WebApplication UsePlaybackDomain(this WebApplication app)
    {
        app.MapWhen(http => http.Request.Path.StartsWithSegments(Prefix), play =>
        {
            play.UseFileSecurityHeaders();
            // The application's routing already chose the endpoint; this branch only runs it (UseRouting finds it chosen).
            play.UseRouting();
            play.UseEndpoints(_ => { });
        });
        return app;
    }
}
