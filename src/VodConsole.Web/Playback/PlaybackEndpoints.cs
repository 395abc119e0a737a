using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Roles;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Playback;

/// <summary>
/// The playback domain: players fetch media anonymously from <c>/play/{appId}/{mediaId}</c>, with range requests. The
/// media is looked up in a context isolated to the application of the path, so another application's media ID is not
/// found; a disabled application or a suspended account answers 403, and so do media not approved in review and a bad
/// signature when signing is on.
/// Delivered bytes count as traffic and peak bandwidth, and a response from the first byte that delivered a meaningful
/// amount as a play (<see cref="PlayRule"/>); HEAD answers the same headers without a body and counts nothing.
/// </summary>
internal static class PlaybackEndpoints
{
    public static IEndpointRouteBuilder MapPlaybackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // HEAD answers as GET does without the body (players, CDNs and link checkers probe with it).
        endpoints.MapMethods("/play/{appId:long}/{mediaId:long}", [HttpMethods.Get, HttpMethods.Head], PlayAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> PlayAsync(
        HttpContext http, long appId, long mediaId, string? t, string? sign,
        RoleContext roles, PlaybackGate gate, IMediaStorage storage, PlaybackMeter meter, TimeProvider clock, CancellationToken ct)
    {
        // The playback domain is public by design: nobody signs in, the application's own signing rule (below) is the check.
        roles.EnterSystem();

        var pass = await gate.OriginalAsync(appId, mediaId, ct);
        if (pass.Verdict != PlaybackVerdict.Allowed)
        {
            return Refused(pass);
        }
        if (pass.Security!.SigningEnabled
            && (pass.Security.SigningKey is not { } key
                || UrlSigning.Verify(key, PlaybackSettingsService.PlayPath(appId, mediaId), t, sign, clock.GetUtcNow()) != SignatureCheck.Valid))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var stream = storage.OpenRead(pass.Key!);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var contentType = string.IsNullOrEmpty(pass.ContentType) ? "application/octet-stream" : pass.ContentType;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            // The file result writes the headers (length, ranges) and no body for HEAD: no play, no traffic.
            await Results.File(stream, contentType, enableRangeProcessing: true).ExecuteAsync(http);
            return Results.Empty;
        }

        // Traffic is counted as it is written, whatever happens to the connection; the last piece is counted even
        // when the player went away. A play counts once enough has been delivered.
        var playAt = PlayRule.BytesForPlay(ServedRange(http.Request.GetTypedHeaders().Range, stream.Length).Offset, stream.Length);
        var metered = new TrafficMeteringStream(http.Response.Body, meter, appId, playAt);
        http.Response.Body = metered;
        try
        {
            await Results.File(stream, contentType, enableRangeProcessing: true).ExecuteAsync(http);
        }
        finally
        {
            metered.Report();
        }
        return Results.Empty;
    }

    /// <summary>The answer to a request the gate refused: a bare 404 or 403.</summary>
    internal static IResult Refused(PlaybackPass pass) =>
        pass.Verdict == PlaybackVerdict.Forbidden ? Results.StatusCode(StatusCodes.Status403Forbidden) : Results.NotFound();

    /// <summary>
    /// Where the response starts and how many bytes it carries, as range processing will serve them (a response from
    /// the first byte may be a play): a single satisfiable
    /// range is served as asked (clipped to the file), anything else as the whole file, except an unsatisfiable range (416, nothing).
    /// </summary>
    internal static (long Offset, long Length) ServedRange(RangeHeaderValue? range, long fileLength)
    {
        if (range is null || range.Ranges.Count != 1 || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return (0, fileLength);
        }
        var item = range.Ranges.Single();
        long start, end;
        if (item.From is { } from)
        {
            start = from;
            end = Math.Min(item.To ?? fileLength - 1, fileLength - 1);
        }
        else if (item.To is { } suffix && suffix > 0)
        {
            start = Math.Max(0, fileLength - suffix);
            end = fileLength - 1;
        }
        else
        {
            return (-1, 0);
        }
        return start >= fileLength || end < start ? (-1, 0) : (start, end - start + 1);
    }
}
