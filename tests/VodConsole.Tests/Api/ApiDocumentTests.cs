using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using VodConsole.Client;
using VodConsole.Core.Api;

namespace VodConsole.Tests.Api;

/// <summary>
/// The OpenAPI document and docs/api.md are enough for an outsider: every operation with a description, its success
/// status and every error status; the signing headers as a security scheme; every field of every object described and
/// every status value listed; ranges and defaults of the numeric parameters; and the page names every field and code.
/// </summary>
public sealed class ApiDocumentTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private async Task<JsonElement> DocumentAsync()
    {
        var document = await server.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return JsonDocument.Parse(text.ToString()).RootElement.Clone();
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => ($"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)));

    [Fact]
    public async Task Every_operation_has_a_description_its_success_status_and_every_error_status_it_can_answer()
    {
        var document = await DocumentAsync();

        var missing = new List<string>();
        foreach (var (name, operation) in Operations(document))
        {
            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            var expected = new List<string> { "400", "401", "403", "404", "500" };
            if (operation.TryGetProperty("requestBody", out _))
            {
                expected.AddRange(["413", "415"]);
            }
            if (name.StartsWith("PATCH", StringComparison.Ordinal) || name.Contains("/uploads/", StringComparison.Ordinal))
            {
                expected.Add("409");
            }
            missing.AddRange(expected.Where(s => !statuses.Contains(s)).Select(s => $"{name}: no {s}"));
            if (!statuses.Any(s => s is "200" or "201" or "204"))
            {
                missing.Add($"{name}: no success status");
            }
            foreach (var text in new[] { "summary", "description" })
            {
                if (!operation.TryGetProperty(text, out var value) || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    missing.Add($"{name}: no {text}");
                }
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.Contains("201", Operations(document).Single(o => o.Name == "POST /api/v1/uploads").Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("204", Operations(document).Single(o => o.Name == "DELETE /api/v1/media/{mediaId}").Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task The_signing_headers_are_the_security_scheme_of_every_operation()
    {
        var document = await DocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        string[] headers = [VodApiSignature.KeyIdHeader, VodApiSignature.TimestampHeader, VodApiSignature.NonceHeader,
            VodApiSignature.ContentSha256Header, VodApiSignature.SignatureHeader];
        Assert.All(headers, h => Assert.Equal(("apiKey", "header", h),
            (schemes.GetProperty(h).GetProperty("type").GetString(), schemes.GetProperty(h).GetProperty("in").GetString(), schemes.GetProperty(h).GetProperty("name").GetString())));
        // One requirement naming all five: they go together.
        Assert.Equal(headers.Order(), document.GetProperty("security").EnumerateArray().Single().EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Every_field_of_every_object_is_described_and_status_fields_list_their_values()
    {
        var document = await DocumentAsync();

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var undescribed = schemas.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject()
                .Where(p => !p.Value.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                .Select(p => $"{s.Name}.{p.Name}"))
            .ToList();
        Assert.True(undescribed.Count == 0, "Without a description: " + string.Join(", ", undescribed));
        Assert.Equal(["Uploading", "Processing", "Normal", "Failed"], EnumOf(schemas, "ApiMedia", "Status"));
        Assert.Equal(["Approved", "Awaiting", "Blocked"], EnumOf(schemas, "ApiMedia", "ReviewState"));
        Assert.Equal(["Queued", "Downloading", "Done", "Failed"], EnumOf(schemas, "ApiPull", "State"));
        Assert.Equal(["Started", "Receiving", "Received", "Committing", "Committed"], EnumOf(schemas, "ApiUploadSession", "State"));
        Assert.Equal(["Enabled", "Disabled"], EnumOf(schemas, "ApiApplication", "Status"));
        Assert.Contains("MediaMoved", EnumOf(schemas, "ApiCallbackEvent", "EventType"));
    }

    [Theory]
    [InlineData("GET /api/v1/media", "Limit", 1, 100, 20)]
    [InlineData("GET /api/v1/callbacks/events", "Max", 1, 100, 100)]
    public async Task Numeric_parameters_carry_their_range_and_default(string operation, string parameter, int min, int max, int @default)
    {
        var document = await DocumentAsync();

        var schema = Operations(document).Single(o => o.Name == operation).Operation.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == parameter).GetProperty("schema");

        Assert.Equal((min, max, @default), (schema.GetProperty("minimum").GetInt32(), schema.GetProperty("maximum").GetInt32(), schema.GetProperty("default").GetInt32()));
    }

    [Fact]
    public async Task The_page_names_every_operation_every_field_and_every_error_code()
    {
        var document = await DocumentAsync();
        var page = await File.ReadAllTextAsync(Path.Combine(ApiSignatureTests.RepositoryRoot(), "docs", "api.md"));

        var operations = Operations(document).Select(o => o.Name.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal))
            .Select(o => o.TrimEnd('/'));
        var fields = document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject().Select(p => $"`{p.Name}`"));
        var codes = typeof(ApiErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).Select(c => c.Contains('.') ? c[(c.IndexOf('.') + 1)..] : c);
        var pageWithoutBraces = page.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);

        Assert.All(operations, o => Assert.Contains($"`{o}`", pageWithoutBraces));
        Assert.All(fields.Distinct(), f => Assert.Contains(f, page));
        Assert.All(codes, c => Assert.Contains(c, page));
    }

    private static List<string?> EnumOf(JsonElement schemas, string schema, string property)
    {
        var node = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property);
        // A shared enum is a reference to its own schema.
        if (node.TryGetProperty("$ref", out var reference))
        {
            node = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        return node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
    }
}
