using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Media;
using VodConsole.Core.Review;

namespace VodConsole.Web.Api;

/// <summary>
/// Review decisions on media of the <c>SubAppId</c> application: approve (which also unblocks) and block with a reason.
/// The console's <see cref="MediaReview"/> does the work, isolated to the application, so the same rules, audit entries,
/// metering and <c>ReviewComplete</c> events apply whichever way a reviewer decides.
/// </summary>
internal static class ReviewApi
{
    public static void MapReviewApi(this RouteGroupBuilder api)
    {
        var media = api.MapGroup("/media/{mediaId:long}").WithTags("Review");
        media.MapPost("/approve", ApproveAsync).Changes().WithName("ApproveMedia")
            .WithSummary("Approve a media item awaiting review, or unblock a blocked one")
            .WithDescription("The item plays from then on (ReviewState Approved). The body is optional: with Version, a decision or edit made "
                + "meanwhile answers 409 FailedOperation.VersionConflict naming who decided, and changes nothing. An item already "
                + "Approved, or still Uploading or Processing, answers 400 FailedOperation. Answers the item; recorded in the audit log "
                + "and sent as a ReviewComplete event.")
            .TakesJson().ProducesApiErrors(409);
        media.MapPost("/block", BlockAsync).Changes().WithName("BlockMedia")
            .WithSummary("Block a media item with a reason: it answers 403 to playback")
            .WithDescription("Reason is 1–200 characters on one line (400 InvalidParameter.Reason otherwise). Works on an item awaiting review "
                + "and on an approved one (a change of mind); a blocked item gets the new reason. With Version, a decision or edit made "
                + "meanwhile answers 409 FailedOperation.VersionConflict. Answers the item; recorded in the audit log and sent as a "
                + "ReviewComplete event.")
            .TakesJson().ProducesApiErrors(409);
    }

    private static async Task<Ok<ApiMedia>> ApproveAsync(
        MediaReview review, MediaLibrary library, long mediaId, ApiReviewApprove? request, CancellationToken ct)
    {
        await review.ApproveAsync(mediaId, request?.Version, ct);
        return TypedResults.Ok(await ItemAsync(library, mediaId, ct));
    }

    private static async Task<Ok<ApiMedia>> BlockAsync(
        MediaReview review, MediaLibrary library, long mediaId, ApiReviewBlock request, CancellationToken ct)
    {
        await review.BlockAsync(mediaId, request.Reason, request.Version, ct);
        return TypedResults.Ok(await ItemAsync(library, mediaId, ct));
    }

    // The decision was just made in this application, so the item is there (a delete racing it answers 404 like any other).
    private static async Task<ApiMedia> ItemAsync(MediaLibrary library, long mediaId, CancellationToken ct) =>
        ApiMedia.From(await library.FindAsync(mediaId, ct)
            ?? throw Core.Api.ApiErrors.NotFound("Media", "There is no media item with this ID in this application."));
}
