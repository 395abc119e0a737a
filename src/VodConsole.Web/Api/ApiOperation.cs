namespace VodConsole.Web.Api;

/// <summary>What an API operation needs from the key that signs it.</summary>
public enum ApiAccess
{
    /// <summary>Reads the <c>SubAppId</c> application: any key that may use it, read-only ones included.</summary>
    Read,
    /// <summary>Changes the <c>SubAppId</c> application: a key with Full rights to it (or an account key).</summary>
    Change,
    /// <summary>The account's own operations (applications): account keys only; <c>SubAppId</c> plays no part.</summary>
    Account,
    /// <summary>
    /// Reads every application the key may see, or those of them its <c>SubAppIds</c> name (the search across
    /// applications): any key; <c>SubAppId</c> is refused, so a request never reads as if it named one application.
    /// </summary>
    Applications,
}

/// <summary>
/// The rule every endpoint under <c>/api/v1</c> carries; <see cref="ApiRequestMiddleware"/> refuses an endpoint without
/// one, so a new endpoint cannot be reached before someone decides what it needs.
/// </summary>
/// <param name="StreamsBody">The body is a file streamed to storage: hashed while it streams, never buffered.</param>
public sealed record ApiOperation(ApiAccess Access, bool StreamsBody = false);

internal static class ApiOperationExtensions
{
    public static RouteHandlerBuilder Reads(this RouteHandlerBuilder builder) => builder.WithMetadata(new ApiOperation(ApiAccess.Read));

    public static RouteHandlerBuilder Changes(this RouteHandlerBuilder builder, bool streamsBody = false) =>
        builder.WithMetadata(new ApiOperation(ApiAccess.Change, streamsBody));

    public static RouteHandlerBuilder ForAccountKeys(this RouteHandlerBuilder builder) => builder.WithMetadata(new ApiOperation(ApiAccess.Account));

    public static RouteHandlerBuilder AcrossApplications(this RouteHandlerBuilder builder) => builder.WithMetadata(new ApiOperation(ApiAccess.Applications));
}
