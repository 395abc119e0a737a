using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
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
/// URLs gets 403 here for now: one signature for a whole HLS tree is the next step (see decision 0013).
/// </summary>
internal static class DerivativeEndpoints
{
    public static IEndpointRouteBuilder MapDerivativeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/play/{appId:long}/{mediaId:long}/outputs/{jobId:long}/{**path}", ServeAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(
        HttpContext http, long appId, long mediaId, long jobId, string path, RoleContext roles, ApplicationData data,
        PlaybackSettingsService settings, IMediaStorage storage, UsageRecorder usage, CancellationToken ct)
    {
        // Public like the playback domain: nobody signs in, the application's status and signing rule are the check.
        roles.EnterSystem();
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        string? outputKey;
        await using (var db = await data.OpenForAsync(appId, ct))
        {
            var status = await db.Applications.Where(a => a.Id == appId).Select(a => (ApplicationStatus?)a.Status).SingleOrDefaultAsync(ct);
            if (status is null)
            {
                return Results.NotFound();
            }
            if (status == ApplicationStatus.Disabled || await db.Accounts.AnyAsync(a => a.ServiceStatus == ServiceStatus.Suspended, ct))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            outputKey = await db.TranscodeJobs.Where(j => j.Id == jobId && j.MediaId == mediaId && j.OutputKey != null)
                .Select(j => j.OutputKey).SingleOrDefaultAsync(ct);
            if (outputKey is null)
            {
                return Results.NotFound();
            }
        }
        if ((await settings.GetForAsync(appId, ct)).SigningEnabled)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        Stream? stream;
        try
        {
            stream = storage.OpenRead(outputKey, path);
        }
        catch (ArgumentException)
        {
            return Results.NotFound(); // a path that tries to leave the tree is not a file of it
        }
        if (stream is null)
        {
            return Results.NotFound();
        }
        var metered = new TrafficMeteringStream(http.Response.Body, bytes => usage.AddTrafficAsync(appId, bytes, CancellationToken.None));
        // Segments and playlists are traffic, never plays: a play is counted on the original (PlayRule).
        http.Response.Body = metered;
        try
        {
            await Results.File(stream, ContentTypeOf(path), enableRangeProcessing: true).ExecuteAsync(http);
        }
        finally
        {
            await metered.ReportAsync();
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
