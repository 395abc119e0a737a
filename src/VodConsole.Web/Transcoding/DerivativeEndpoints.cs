using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Roles;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;
using VodConsole.Web.Playback;

namespace VodConsole.Web.Transcoding;

/// <summary>
/// The playback domain for derivative files: <c>/play/{appId}/{mediaId}/outputs/{jobId}/{path}</c> serves a file of a
/// finished job's output tree (the HLS master playlist, its variants and segments, or an MP4), anonymously, with range
/// requests, under the same rules as the original: looked up in a context isolated to the path's application (another
/// application's job is not found), 403 for a disabled application or a suspended account. An application that signs
/// URLs serves a tree only under a signed prefix, <c>/play/{appId}/{mediaId}/outputs/{jobId}/s/{t}/{sign}/{path}</c>:
/// one directory-scoped signature for every file of the tree (<see cref="TreeSigning"/>, decision 0014); an unsigned,
/// expired, tampered or foreign signature gets 403 for every file.
/// </summary>
internal static class DerivativeEndpoints
{
    public static IEndpointRouteBuilder MapDerivativeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/play/{appId:long}/{mediaId:long}/outputs/{jobId:long}/{**path}", ServeUnsignedAsync).AllowAnonymous();
        endpoints.MapGet($"/play/{{appId:long}}/{{mediaId:long}}/outputs/{{jobId:long}}/{TreeSigning.Marker}/{{t}}/{{sign}}/{{**path}}", ServeAsync)
            .AllowAnonymous();
        return endpoints;
    }

    private static Task<IResult> ServeUnsignedAsync(
        HttpContext http, long appId, long mediaId, long jobId, string path, RoleContext roles, PlaybackGate gate,
        IMediaStorage storage, PlaybackMeter meter, TimeProvider clock, CancellationToken ct) =>
        ServeAsync(http, appId, mediaId, jobId, t: null, sign: null, path, roles, gate, storage, meter, clock, ct);

    private static async Task<IResult> ServeAsync(
        HttpContext http, long appId, long mediaId, long jobId, string? t, string? sign, string path, RoleContext roles, PlaybackGate gate,
        IMediaStorage storage, PlaybackMeter meter, TimeProvider clock, CancellationToken ct)
    {
        // Public like the playback domain: nobody signs in, the application's status and signing rule are the check.
        roles.EnterSystem();

        var pass = await gate.OutputAsync(appId, mediaId, jobId, ct);
        if (pass.Verdict != PlaybackVerdict.Allowed)
        {
            return PlaybackEndpoints.Refused(pass);
        }
        // A signing application answers 403 to every file of the tree unless the prefix's signature is valid now, before
        // looking at the file: nothing about the tree's contents is told to an unsigned request.
        if (pass.Security!.SigningEnabled
            && (pass.Security.SigningKey is null
                || TreeSigning.Verify(pass.Security.SigningKey, appId, mediaId, jobId, t, sign, clock.GetUtcNow()) != SignatureCheck.Valid))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        if (!TreeSigning.IsInsideTree(path))
        {
            return Results.NotFound(); // a path that tries to leave the tree is not a file of it
        }

        Stream? stream;
        try
        {
            stream = storage.OpenRead(pass.Key!, path);
        }
        catch (ArgumentException)
        {
            return Results.NotFound(); // a path that tries to leave the tree is not a file of it
        }
        if (stream is null)
        {
            return Results.NotFound();
        }
        var metered = new TrafficMeteringStream(http.Response.Body, meter, appId);
        // Segments and playlists are traffic, never plays: a play is counted on the original (PlayRule).
        http.Response.Body = metered;
        try
        {
            await Results.File(stream, ContentTypeOf(path), enableRangeProcessing: true).ExecuteAsync(http);
        }
        finally
        {
            metered.Report();
        }
        return Results.Empty;
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".m3u8" => "application/vnd.apple.mpegurl",
        ".ts" => "video/mp2t",
        ".mp4" => "video/mp4",
        ".m4a" => "audio/mp4",
        _ => "application/octet-stream",
    };
}
