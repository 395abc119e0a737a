using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VodConsole.Core.Api;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Web.Media;

namespace VodConsole.Web.Api;

/// <summary>
/// Uploads in three signed calls: start (name the file), send (PUT the bytes, streamed through the console's upload
/// pipeline with the body's SHA-256 checked as it arrives), commit (the media item is made and processing starts).
/// Pulls from URLs go through the console's pull queue.
/// </summary>
internal static class UploadApi
{
    public static void MapUploadApi(this RouteGroupBuilder api, long maxUploadBytes)
    {
        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        uploads.MapPost("/", StartAsync).Changes().WithName("StartUpload")
            .WithSummary("Start an upload: answers where to send the file and where to commit it")
            .WithDescription("Answers 201 with the upload (State Started). The upload belongs to the key that started it and "
                + "expires after 24 hours unless committed.")
            .TakesJson();
        uploads.MapPut("/{uploadId}", ReceiveAsync).Changes(streamsBody: true).WithName("SendUploadFile")
            .WithSummary("Send the file as the raw request body (signed with the file's SHA-256)")
            .WithDescription("The body streams to storage and is checked as it arrives: its SHA-256 against X-Vod-Content-SHA256 (401 "
                + "AuthFailure.ContentHashMismatch), its first bytes for a supported video, audio or image type (415), its size against "
                + "Media:MaxUploadBytes (413). While this PUT streams, another PUT or a commit of the upload, on any server, answers 409 "
                + "FailedOperation.UploadInProgress; a PUT that fails or is cut off leaves the upload Started, to be sent again.")
            .ProducesApiErrors(409, 413, 415)
            .Accepts<Stream>("application/octet-stream")
            .WithMetadata(new UploadSizeLimit(maxUploadBytes));
        uploads.MapPost("/{uploadId}/commit", CommitAsync).Changes().WithName("CommitUpload")
            .WithSummary("Make the sent file a media item; its processing starts")
            .WithDescription("Answers the new item's ID with Status Processing; committing again answers the same item. Before the file "
                + "is sent: 409 FailedOperation.UploadNotReceived; while it is being sent or committed: 409 FailedOperation.UploadInProgress.")
            .ProducesApiErrors(409);

        var pulls = api.MapGroup("/pulls").WithTags("Pulls");
        pulls.MapPost("/", PullAsync).Changes().WithName("PullMedia").WithSummary("Pull up to 20 media files from http(s) URLs")
            .WithDescription("Answers the queued jobs. Each downloads in the background (addresses the network policy refuses fail), then "
                + "becomes a media item like an upload; GET /pulls shows the progress.")
            .TakesJson();
        pulls.MapGet("/", ListPullsAsync).Reads().WithName("ListPulls").WithSummary("The application's latest 50 pull jobs with their state")
            .WithDescription("Newest first, with bytes received and, when done, the media item made.");
    }

    private static async Task<Created<ApiUploadSession>> StartAsync(ApiUploadService uploads, RoleContext roles, ApiUploadStart request, CancellationToken ct)
    {
        var session = Session(await uploads.StartAsync(request.FileName, ct), roles.CurrentApplicationId);
        return TypedResults.Created(session.UploadUrl, session);
    }

    private static async Task<Ok<ApiUploadSession>> ReceiveAsync(
        HttpContext http, ApiUploadService uploads, RoleContext roles, IOptions<MediaOptions> options, string uploadId, CancellationToken ct)
    {
        var maxBytes = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > maxBytes)
        {
            throw new ApiException(ApiErrors.FileTooLarge, 413, MediaUploadService.TooLargeMessage(maxBytes));
        }
        var upload = await uploads.ReceiveAsync(uploadId, http.Request.Body, maxBytes, ct);
        return TypedResults.Ok(Session(upload, roles.CurrentApplicationId));
    }

    private static async Task<Ok<ApiUploadCommitted>> CommitAsync(
        ApiUploadService uploads, MediaLibrary library, string uploadId, CancellationToken ct)
    {
        var mediaId = await uploads.CommitAsync(uploadId, ct);
        var status = (await library.FindAsync(mediaId, ct))?.Status ?? MediaStatus.Processing;
        return TypedResults.Ok(new ApiUploadCommitted(uploadId, mediaId, status));
    }

    private static async Task<Ok<ApiPullList>> PullAsync(MediaPullService pulls, ApiPullRequest request, CancellationToken ct)
    {
        var jobs = await pulls.SubmitAsync(string.Join('\n', request.Urls ?? []), ct);
        return TypedResults.Ok(new ApiPullList(jobs.Select(ApiPull.From).ToList()));
    }

    private static async Task<Ok<ApiPullList>> ListPullsAsync(MediaPullService pulls, CancellationToken ct) =>
        TypedResults.Ok(new ApiPullList((await pulls.ListAsync(ct)).Select(ApiPull.From).ToList()));

    private static ApiUploadSession Session(ApiUpload upload, long applicationId)
    {
        var path = $"{ApiEndpoints.Prefix}/uploads/{upload.Id}";
        var query = "?SubAppId=" + applicationId.ToString(CultureInfo.InvariantCulture);
        return new ApiUploadSession(upload.Id, upload.State, path + query, path + "/commit" + query, upload.ExpiresAt,
            upload.State == ApiUploadState.Started ? null : upload.SizeBytes, upload.ContentType);
    }
}
