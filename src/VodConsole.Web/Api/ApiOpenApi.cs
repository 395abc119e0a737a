using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using VodConsole.Client;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Api;

/// <summary>The signature headers as the OpenAPI document's security scheme: all five go together on every operation.</summary>
internal static class ApiSigning
{
    private static readonly (string Header, string Description)[] Headers =
    [
        (VodApiSignature.KeyIdHeader, "The key ID (AKID and 24 letters and digits)."),
        (VodApiSignature.TimestampHeader, "The current Unix time in seconds; refused when more than 5 minutes from the server's clock."),
        (VodApiSignature.NonceHeader, "8 to 64 letters, digits, '-' or '_', new for every request of the key."),
        (VodApiSignature.ContentSha256Header, "The lower-case hex SHA-256 of the body (of nothing when there is none)."),
        (VodApiSignature.SignatureHeader, "The lower-case hex HMAC-SHA256, keyed with the secret, of the string to sign (docs/api.md)."),
    ];

    public static void AddSecurityScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        var requirement = new OpenApiSecurityRequirement();
        foreach (var (header, description) in Headers)
        {
            document.Components.SecuritySchemes[header] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = header, Description = description,
            };
            requirement[new OpenApiSecuritySchemeReference(header, document)] = [];
        }
        document.Security = [requirement];
    }
}

/// <summary>
/// The query parameters the operations read as text and check themselves, described for the OpenAPI document: what each
/// means, its values, and for whole numbers the range and default the operation enforces (<see cref="ApiIntegerParameter"/>).
/// </summary>
internal static class ApiQueryParameters
{
    private static readonly Dictionary<string, (string Description, string[]? Values)> Known = new()
    {
        ["Text"] = ("Full-text search over title, description and tags (each word, the last one also as a prefix).", null),
        ["Status"] = ("Only media with this status.", Enum.GetNames<MediaStatus>()),
        ["CategoryId"] = ("Only media of this category of the application; 0 for the uncategorised media.", null),
        ["Tag"] = ("Only media with this tag (exact, any case).", null),
        ["Sort"] = ("The order: Newest (the default without Text), Oldest, Title, Largest, or Relevance (the default with Text; needs Text).",
            Enum.GetNames<MediaSort>()),
        ["ContinuationToken"] = ("The previous page's ContinuationToken, for the next page of the same query.", null),
        ["Metric"] = ("The metric.", Enum.GetNames<UsageMetric>()),
        ["From"] = ("The first UTC day, yyyy-MM-dd.", null),
        ["To"] = ("The last UTC day, yyyy-MM-dd: not after today, at most 731 days after From.", null),
    };

    public static void Describe(OpenApiParameter parameter, IEnumerable<ApiIntegerParameter> integers)
    {
        if (integers.FirstOrDefault(i => i.Name == parameter.Name) is { } integer)
        {
            parameter.Description = $"{integer.Description} {integer.Min} to {integer.Max}; default {integer.Default}.";
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = $"{integer.Min}", Maximum = $"{integer.Max}",
                Default = JsonValue.Create(integer.Default),
            };
        }
        else if (parameter.Name is { } name && Known.TryGetValue(name, out var known))
        {
            parameter.Description = known.Description;
            if (known.Values is { } values && parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }
    }
}
