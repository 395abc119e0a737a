using System.Security.Cryptography;
using Microsoft.AspNetCore.Diagnostics;
using VodConsole.Client;
using VodConsole.Core.Api;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Api;

/// <summary>
/// The door of <c>/api/v1</c>. Every request there must be an operation (<see cref="ApiOperation"/>), signed by an API
/// key (<see cref="ApiRequestVerifier"/>) over the body it really carries, and name an application the key may use
/// (<c>SubAppId</c>, <see cref="ApiKeyRoles"/>); the request's <see cref="RoleContext"/> then acts for the key, so the
/// endpoints call the console's services exactly as its pages do. Whatever is refused, here or in a service, answers
/// as an <see cref="ApiErrorBody"/> with its code. Cookies play no part: a signed-in browser is not an API caller.
/// </summary>
internal sealed class ApiRequestMiddleware(RequestDelegate next, ILogger<ApiRequestMiddleware> logger)
{
    /// <summary>The most a JSON body may be; files go through the upload operation, which streams.</summary>
    public const int MaxJsonBodyBytes = 1_000_000;

    /// <summary>The name of the endpoint routing picks when an operation matches all but the request's Content-Type.</summary>
    private const string UnsupportedMediaTypeEndpoint = "415 HTTP Unsupported Media Type";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(ApiEndpoints.Prefix))
        {
            await next(http);
            return;
        }
        // API answers are JSON, never the console's "Not found" page.
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        try
        {
            var endpoint = http.GetEndpoint();
            if (endpoint?.DisplayName == UnsupportedMediaTypeEndpoint)
            {
                // Routing found the operation but not for this Content-Type: say so rather than "no operation".
                throw ApiRequestBodies.UnsupportedContentType();
            }
            var operation = endpoint?.Metadata.GetMetadata<ApiOperation>()
                ?? throw new ApiException(ApiErrors.InvalidAction, 404,
                    $"There is no API operation {http.Request.Method} {http.Request.Path}; see /api/reference.");
            var key = await AuthenticateAsync(http, operation);
            await EnterScopeAsync(http, operation, key);
            await next(http);
        }
        catch (Exception exception) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            var error = ApiErrorResponse.From(exception, http.GetEndpoint());
            if (error.Status >= 500)
            {
                logger.LogError(exception, "API request {Method} {Path} failed.", http.Request.Method, http.Request.Path);
            }
            await ApiErrorResponse.WriteAsync(http, error);
        }
    }

    private static async Task<ApiKeyCaller> AuthenticateAsync(HttpContext http, ApiOperation operation)
    {
        var request = http.Request;
        var headers = request.Headers;
        var signed = new ApiSignedRequest(
            request.Method, request.Host.Value ?? "", request.PathBase + request.Path, request.QueryString.Value ?? "",
            headers[VodApiSignature.KeyIdHeader], headers[VodApiSignature.TimestampHeader], headers[VodApiSignature.NonceHeader],
            headers[VodApiSignature.ContentSha256Header], headers[VodApiSignature.SignatureHeader]);
        var key = await http.RequestServices.GetRequiredService<ApiRequestVerifier>().VerifyAsync(signed, http.RequestAborted);

        // The signature covers the declared hash; now the body must match it.
        var declared = signed.ContentSha256!.Trim().ToLowerInvariant();
        if (operation.StreamsBody)
        {
            request.Body = ApiBodyHash.Checking(request.Body, declared);
        }
        else if (await BufferedBodySha256Async(request) != declared)
        {
            throw ApiBodyHash.Mismatch();
        }
        return key;
    }

    private static async Task EnterScopeAsync(HttpContext http, ApiOperation operation, ApiKeyCaller key)
    {
        var catalog = await http.RequestServices.GetRequiredService<ApiKeyRoles>().LoadCatalogAsync(key, http.RequestAborted);
        ConsoleRole role;
        if (operation.Access == ApiAccess.Applications)
        {
            // The operation names its applications itself (SubAppIds); the key's own role stands for it meanwhile.
            if (SubAppIdOf(http.Request) is not null)
            {
                throw ApiErrors.Invalid(ApiKeyRoles.SubAppIdParameter,
                    "This operation searches several applications: name them with SubAppIds (or leave it out for all the key may see).");
            }
            role = key.IsAccountKey ? ConsoleRole.Admin : catalog.Roles.Single();
        }
        else if (operation.Access == ApiAccess.Account)
        {
            role = key.IsAccountKey
                ? ConsoleRole.Admin
                : throw ApiErrors.Forbidden(ApiErrors.AccountKeyOnly, "Only an account key may use this operation; this key belongs to one application.");
        }
        else
        {
            role = ApiKeyRoles.ResolveApplication(catalog, SubAppIdOf(http.Request));
            if (operation.Access == ApiAccess.Change && !role.CanWrite)
            {
                throw ApiErrors.Forbidden(ApiErrors.ReadOnly, "This key has read-only access to the application; this operation changes it.");
            }
        }
        http.RequestServices.GetRequiredService<RoleContext>().EnterApi(key, catalog, role);
    }

    /// <summary>The one <c>SubAppId</c> of the query (its name in any case, as the endpoints' binding reads it).</summary>
    private static string? SubAppIdOf(HttpRequest request)
    {
        var values = VodApiSignature.ParseQuery(request.QueryString.Value ?? "")
            .Where(p => p.Key.Equals(ApiKeyRoles.SubAppIdParameter, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Value)
            .ToList();
        return values.Count <= 1
            ? values.SingleOrDefault()
            : throw ApiErrors.Invalid(ApiKeyRoles.SubAppIdParameter, "Give SubAppId once.");
    }

    /// <summary>Reads a (small) JSON body into a rewindable buffer for the endpoint, and hashes it on the way.</summary>
    private static async Task<string> BufferedBodySha256Async(HttpRequest request)
    {
        if (request.ContentLength > MaxJsonBodyBytes)
        {
            throw TooLarge();
        }
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxJsonBodyBytes + 1);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
            if (total > MaxJsonBodyBytes)
            {
                throw TooLarge();
            }
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ApiException TooLarge() =>
        new(ApiErrors.RequestTooLarge, 413, $"A JSON body may be at most {MaxJsonBodyBytes:N0} bytes; send files with the upload operation.");
}
