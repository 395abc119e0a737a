using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using VodConsole.Core.Api;
using VodConsole.Core.Media;

namespace VodConsole.Web.Api;

/// <summary>
/// The server API: signed JSON operations under <see cref="Prefix"/>, described by an OpenAPI document with an
/// interactive reference page for signed-in console users. docs/api.md explains the signature.
/// </summary>
internal static class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/api/openapi/v1.json";
    public const string ReferencePath = "/api/reference";

    public static IServiceCollection AddVodApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(json =>
        {
            // The API's JSON names are its C# names (SubAppId, NonExistMediaIds), and enums are written by name.
            json.SerializerOptions.PropertyNamingPolicy = null;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        // A parameter or body that cannot be read throws, so the API answers InvalidParameter instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "VodConsole server API",
                    Version = DocumentName,
                    Description =
                        "Every request is signed with an API key (X-Vod-KeyId, X-Vod-Timestamp, X-Vod-Nonce, X-Vod-Content-SHA256, "
                        + "X-Vod-Signature: HMAC-SHA256 over the canonical request) as docs/api.md describes. SubAppId (query) names the "
                        + "application: absent, 0 or the primary application's ID is the primary application. Errors answer "
                        + "{\"Error\": {\"Code\", \"Message\"}, \"RequestId\"}.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var rule = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiOperation>().FirstOrDefault();
                if (rule is { Access: not ApiAccess.Account })
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = ApiKeyRoles.SubAppIdParameter,
                        In = ParameterLocation.Query,
                        Description = "The application: absent, 0 or the primary application's ID for the primary application.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
                    });
                }
                return Task.CompletedTask;
            });
        });
        services.AddHostedService<ApiMaintenanceWorker>();
        return services;
    }

    /// <summary>Authenticates and scopes every request under <see cref="Prefix"/> (after routing chose its endpoint).</summary>
    public static IApplicationBuilder UseVodApi(this IApplicationBuilder app) => app.UseMiddleware<ApiRequestMiddleware>();

    public static IEndpointRouteBuilder MapVodApi(this IEndpointRouteBuilder endpoints)
    {
        var maxUploadBytes = endpoints.ServiceProvider.GetRequiredService<IOptions<MediaOptions>>().Value.MaxUploadBytes;
        // Signed requests carry no cookies to forge, so the console's antiforgery check has nothing to protect here.
        var api = endpoints.MapGroup(Prefix).DisableAntiforgery()
            .WithMetadata(ErrorResponse(400), ErrorResponse(401), ErrorResponse(403), ErrorResponse(404), ErrorResponse(500))
            .AddEndpointFilter(ApiRequestBodies.RefuseNullItemsAsync);
        api.MapMediaApi();
        api.MapUploadApi(maxUploadBytes);
        api.MapAccountApi();
        api.MapCallbackApi();

        endpoints.MapOpenApi(DocumentPath.Replace(DocumentName + ".json", "{documentName}.json", StringComparison.Ordinal)).RequireAuthorization();
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("VodConsole server API")
                .WithOpenApiRoutePattern(DocumentPath.Replace(DocumentName + ".json", "{documentName}.json", StringComparison.Ordinal))
                .AddDocument(DocumentName)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .HideClientButton()
                .HideTestRequestButton()) // its requests would be unsigned, so always refused
            .RequireAuthorization();
        return endpoints;
    }

    private static ProducesResponseTypeMetadata ErrorResponse(int status) => new(status, typeof(ApiErrorBody), ["application/json"]);
}
