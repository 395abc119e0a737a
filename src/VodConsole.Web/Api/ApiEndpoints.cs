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
                        "Every request is signed with an API key: the five X-Vod-* headers of the security scheme, the signature an "
                        + "HMAC-SHA256 over the canonical request (docs/api.md has the steps and a worked example; the reference page "
                        + "cannot sign, so call the API from a client). SubAppId (query) names the application: 0 or the primary "
                        + "application's ID is the primary application; absent is the key's own application for an application key "
                        + "and the primary application for an account key. Answers are JSON with PascalCase names, times UTC ISO 8601, "
                        + "sizes in bytes. Errors answer {\"Error\": {\"Code\", \"Message\"}, \"RequestId\"} with the HTTP status of the code.",
                };
                ApiSigning.AddSecurityScheme(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var rule = metadata.OfType<ApiOperation>().FirstOrDefault();
                operation.Parameters ??= [];
                if (rule is { Access: ApiAccess.Read or ApiAccess.Change })
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = ApiKeyRoles.SubAppIdParameter,
                        In = ParameterLocation.Query,
                        Description = "The application: 0 or the primary application's ID for the primary application; absent for the "
                            + "key's own application (an application key) or the primary application (an account key).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" },
                    });
                }
                foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
                {
                    ApiQueryParameters.Describe(parameter, metadata.OfType<ApiIntegerParameter>());
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
            .ProducesApiErrors(400, 401, 403, 404, 500)
            .AddEndpointFilter(ApiRequestBodies.RefuseNullItemsAsync);
        api.MapMediaApi();
        api.MapUploadApi(maxUploadBytes);
        api.MapAccountApi();
        api.MapCallbackApi();
        api.MapTranscodingApi();
        api.MapReviewApi();
        api.MapConfigurationApi();

        endpoints.MapOpenApi(DocumentPath.Replace(DocumentName + ".json", "{documentName}.json", StringComparison.Ordinal)).RequireAuthorization();
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("VodConsole server API")
                .WithOpenApiRoutePattern(DocumentPath.Replace(DocumentName + ".json", "{documentName}.json", StringComparison.Ordinal))
                .AddDocument(DocumentName)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .HideClientButton()
                .HideDeveloperTools() // "Share", "Deploy", "Generate SDK": hosted services this console has nothing to do with
                .HideTestRequestButton()) // its requests would be unsigned, so always refused
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary>Declares error answers (an <see cref="ApiErrorBody"/>) of these statuses for the OpenAPI document.</summary>
    public static TBuilder ProducesApiErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. statuses.Select(status => new ProducesResponseTypeMetadata(status, typeof(ApiErrorBody), ["application/json"]))]);

    /// <summary>An operation with a JSON body: the body may be too large (413) or not JSON (415).</summary>
    public static RouteHandlerBuilder TakesJson(this RouteHandlerBuilder builder) => builder.ProducesApiErrors(413, 415);
}
