using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;
using VodConsole.Core.Roles;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Media;

/// <summary>
/// Cover thumbnails for the console's media list, and storyboard frames for its review queue. Signed-in users only; the application is resolved from the path as
/// the shell does, and the media is looked up in a context isolated to it, so another application's ID is not found.
/// </summary>
internal static class MediaCoverEndpoint
{
    public static IEndpointRouteBuilder MapMediaCoverEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/apps/{appId:long}/media/{mediaId:long}/cover", async (
            HttpContext http, long mediaId, RoleResolver resolver, ApplicationData data, IMediaStorage storage, CancellationToken ct) =>
        {
            if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { ApplicationId: { } applicationId })
            {
                return Results.NotFound();
            }
            await using var db = await data.OpenForAsync(applicationId, ct);
            var coverKey = await db.Media.Where(m => m.Id == mediaId).Select(m => m.CoverKey).SingleOrDefaultAsync(ct);
            var cover = coverKey is null ? null : storage.OpenRead(coverKey);
            return cover is null ? Results.NotFound() : Results.Stream(cover, "image/jpeg");
        }).RequireAuthorization().RefusalsAnswerNotFound();
        // Storyboard frames for the review queue, under the same rule: the role from the path, the item in its application.
        endpoints.MapGet("/apps/{appId:long}/media/{mediaId:long}/storyboard/{index:int}", async (
            HttpContext http, long mediaId, int index, RoleResolver resolver, MediaReview review, IMediaStorage storage, CancellationToken ct) =>
        {
            if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { ApplicationId: not null })
            {
                return Results.NotFound();
            }
            var key = await review.StoryboardKeyAsync(mediaId, index, ct);
            var frame = key is null ? null : storage.OpenRead(key);
            return frame is null ? Results.NotFound() : Results.Stream(frame, "image/jpeg");
        }).RequireAuthorization().RefusalsAnswerNotFound();
        return endpoints;
    }
}
