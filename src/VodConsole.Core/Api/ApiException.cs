namespace VodConsole.Core.Api;

/// <summary>
/// An API request refused with a stable error code (<see cref="ApiErrors"/>), the HTTP status that goes with it, and
/// a message for the developer.
/// </summary>
public sealed class ApiException(string code, int status, string message) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}

/// <summary>
/// Every error code the server API answers with (docs/api.md lists them). Codes are stable: clients branch on them,
/// so a code is never renamed or reused for another meaning. Tencent Cloud's style: <c>Category.Detail</c>.
/// </summary>
public static class ApiErrors
{
    public const string InvalidAuthorization = "AuthFailure.InvalidAuthorization";
    public const string KeyNotFound = "AuthFailure.KeyNotFound";
    public const string KeyDisabled = "AuthFailure.KeyDisabled";
    public const string SignatureFailure = "AuthFailure.SignatureFailure";
    public const string SignatureExpire = "AuthFailure.SignatureExpire";
    public const string NonceReused = "AuthFailure.NonceReused";
    public const string ContentHashMismatch = "AuthFailure.ContentHashMismatch";
    public const string ReadOnly = "Forbidden.ReadOnly";
    public const string AccountKeyOnly = "Forbidden.AccountKeyOnly";
    public const string SubAppDisabled = "ResourceUnavailable.SubAppDisabled";
    public const string InvalidAction = "InvalidAction";
    public const string InvalidParameter = "InvalidParameter";
    public const string LimitExceeded = "LimitExceeded";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string FailedOperation = "FailedOperation";
    public const string VersionConflict = "FailedOperation.VersionConflict";
    public const string UploadInProgress = "FailedOperation.UploadInProgress";
    public const string UnsupportedFileType = "FailedOperation.UnsupportedFileType";
    public const string UnsupportedContentType = "FailedOperation.UnsupportedContentType";
    public const string FileTooLarge = "LimitExceeded.FileSize";
    public const string RequestTooLarge = "LimitExceeded.RequestSize";
    public const string InternalError = "InternalError";
    /// <summary>With the limit: <c>QuotaExceeded.Budget</c>, <c>.Storage</c>, <c>.Traffic</c>, <c>.Transcode</c> (see <c>QuotaExceededException</c>).</summary>
    public const string QuotaExceeded = "QuotaExceeded";

    public static ApiException Unauthorized(string code, string message) => new(code, 401, message);

    public static ApiException Invalid(string parameter, string message) => new($"{InvalidParameter}.{parameter}", 400, message);

    public static ApiException NotFound(string resource, string message) => new($"{ResourceNotFound}.{resource}", 404, message);

    public static ApiException Forbidden(string code, string message) => new(code, 403, message);
}
