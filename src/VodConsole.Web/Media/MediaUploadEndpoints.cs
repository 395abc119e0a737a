using VodConsole.Core.Budgets;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Web.Setup;

namespace VodConsole.Web.Media;

/// <summary>
/// <c>POST /apps/{appId}/media/upload</c>: the file is the raw request body (streamed, never buffered), its name the
/// URL-encoded <c>X-File-Name</c> header, and the antiforgery token the <c>RequestVerificationToken</c> header. The
/// role is resolved from the path as the console shell does, so an application the user may not use answers 404, and
/// one the user may only read answers 403. This endpoint is the upload's one access check: the service below it is
/// also driven by the pull worker, whose jobs were checked when they were queued.
/// </summary>
internal static class MediaUploadEndpoints
{
    public const string FileNameHeader = "X-File-Name";

    public static IEndpointRouteBuilder MapMediaUploadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var limit = endpoints.ServiceProvider.GetRequiredService<IOptions<MediaOptions>>().Value.MaxUploadBytes;
        endpoints.MapPost("/apps/{appId:long}/media/upload", UploadAsync)
            .RequireAuthorization()
            .WithMetadata(new UploadSizeLimit(limit));
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http, RoleResolver resolver, AccessPolicy access, IAntiforgery antiforgery, MediaUploadService uploads,
        IOptions<MediaOptions> options, CancellationToken ct)
    {
        // An API answer, not a page: a bare 404 must not be re-executed as the (POST-refusing) "Not found" page.
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        if (await EndpointRoles.ResolveAsync(http, resolver, ct) is not { ApplicationId: { } applicationId })
        {
            return Results.NotFound();
        }
        try
        {
            await access.RequireWriteAsync(applicationId, ct);
        }
        catch (AccessDeniedException denied)
        {
            return Results.Text(denied.Message, statusCode: StatusCodes.Status403Forbidden);
        }

        // A declared size over the limit is refused before anything else is looked at.
        var maxBytes = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Text("The request is missing a valid antiforgery token.", statusCode: StatusCodes.Status400BadRequest);
        }

        var fileName = Uri.UnescapeDataString(http.Request.Headers[FileNameHeader].ToString());
        try
        {
            var item = await uploads.UploadAsync(applicationId, fileName, http.Request.Body, maxBytes, ct);
            return Results.Created(
                $"/apps/{applicationId}/media/{item.Id}",
                new { id = item.Id, title = item.Title, status = item.Status.ToString() });
        }
        catch (QuotaExceededException quota)
        {
            // Stopped by the application's budget: the page shows why and until when.
            return Results.Text(quota.Message, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (MediaUploadRefusedException refused) when (refused.Reason == UploadRefusal.UnsupportedType)
        {
            return Results.Text(refused.Message, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        catch (MediaUploadRefusedException refused)
        {
            return Results.Text(refused.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // The browser cancelled or the connection dropped: the service has already left nothing behind.
            return Results.Empty;
        }
    }

    private static IResult TooLarge(long maxBytes) =>
        Results.Text(MediaUploadService.TooLargeMessage(maxBytes), statusCode: StatusCodes.Status413PayloadTooLarge);
}
