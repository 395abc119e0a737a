using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Budgets;
using VodConsole.Core.Common;
using VodConsole.Core.Media;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Web.Api;

/// <summary>The error: a stable code to branch on and a message for the developer.</summary>
/// <param name="Code">The error code (docs/api.md lists them): stable, never renamed or reused.</param>
/// <param name="Message">What went wrong and what to do, for people; it may change.</param>
public sealed record ApiError(string Code, string Message);

/// <summary>Every error answer: <c>{"Error": {"Code", "Message"}, "RequestId"}</c>, with the HTTP status of the code.</summary>
/// <param name="Error">The error.</param>
/// <param name="RequestId">The request's ID in the server's log; quote it when asking for help.</param>
public sealed record ApiErrorBody(ApiError Error, string RequestId);

/// <summary>Turns what the services throw into the API's error codes, so endpoints need no try/catch of their own.</summary>
internal static class ApiErrorResponse
{
    public static ApiException From(Exception exception, Endpoint? endpoint) => exception switch
    {
        ApiException api => api,
        ResourceNotFoundException notFound => ApiErrors.NotFound(notFound.Resource, notFound.Message),
        AccessDeniedException denied when denied.Message == AccessPolicy.AdministratorMessage =>
            ApiErrors.Forbidden(ApiErrors.AccountKeyOnly, "Only an account key may do this."),
        AccessDeniedException => ApiErrors.Forbidden(ApiErrors.ReadOnly, "This key has read-only access to the application."),
        MediaEditConflictException conflict => new ApiException(ApiErrors.VersionConflict, 409,
            $"The media item was changed meanwhile (its version is now {conflict.Current.Version}); read it again and retry."),
        TranscodeTemplateConflictException conflict => new ApiException(ApiErrors.VersionConflict, 409,
            $"The template was changed meanwhile (its version is now {conflict.Current.Version}); read it again and retry."),
        // Another reviewer decided first: the message names who, so the client need not read the item to find out.
        ReviewConflictException conflict => new ApiException(ApiErrors.VersionConflict, 409, conflict.Message),
        // The request is well-formed; the application's budget stops it until the month ends or the limit is raised.
        QuotaExceededException quota => ApiErrors.Forbidden(quota.Code, quota.Message),
        MediaUploadRefusedException { Reason: UploadRefusal.UnsupportedType } refused => new ApiException(ApiErrors.UnsupportedFileType, 415, refused.Message),
        MediaUploadRefusedException refused => new ApiException(ApiErrors.FileTooLarge, 413, refused.Message),
        DomainRuleException { Field: { Length: > 0 } field } rule => ApiErrors.Invalid(ParameterName(field), rule.Message),
        DomainRuleException rule => new ApiException(ApiErrors.FailedOperation, 400, rule.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new ApiException(ApiErrors.RequestTooLarge, 413, "The request body is larger than this operation accepts."),
        BadHttpRequestException bad => ApiRequestBodies.Refused(bad, endpoint),
        _ => new ApiException(ApiErrors.InternalError, 500, "The server failed to handle this request; try again later."),
    };

    public static async Task WriteAsync(HttpContext http, ApiException error)
    {
        http.Response.Clear();
        http.Response.StatusCode = error.Status;
        await Results.Json(new ApiErrorBody(new ApiError(error.Code, error.Message), http.TraceIdentifier)).ExecuteAsync(http);
    }

    /// <summary>Services name fields as forms do ("title", "urls"); the API names parameters as its JSON does ("Title").</summary>
    private static string ParameterName(string field) => char.ToUpperInvariant(field[0]) + field[1..];
}
