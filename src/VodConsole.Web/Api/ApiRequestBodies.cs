using System.Collections;
using System.Reflection;
using System.Text.Json;
using VodConsole.Core.Api;

namespace VodConsole.Web.Api;

/// <summary>A JSON body an API operation reads; <see cref="ApiRequestBodies"/> checks what binding alone lets through.</summary>
public interface IApiRequestBody;

/// <summary>
/// Turns a JSON body the framework could not bind into <c>InvalidParameter.{Name}</c> with a message in the API's own
/// terms (a parameter name and what it must be, never a C# type), and refuses nulls inside arrays, which binding
/// accepts and the services must never see.
/// </summary>
internal static class ApiRequestBodies
{
    /// <summary>The name for errors about the body as a whole (not JSON, not an object, missing).</summary>
    public const string Body = "Body";

    /// <summary>An endpoint filter: every array of every body argument holds values, not nulls.</summary>
    public static async ValueTask<object?> RefuseNullItemsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var body in context.Arguments.OfType<IApiRequestBody>())
        {
            foreach (var property in body.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.PropertyType != typeof(string)
                    && property.GetValue(body) is IEnumerable items
                    && items.Cast<object?>().Any(item => item is null))
                {
                    throw ApiErrors.Invalid(property.Name, $"{property.Name} cannot contain null: it {Expected(property.PropertyType)}.");
                }
            }
        }
        return await next(context);
    }

    /// <summary>The API's error for a request the framework refused while binding it.</summary>
    public static ApiException Refused(BadHttpRequestException bad, Endpoint? endpoint)
    {
        var bodyType = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return UnsupportedContentType();
        }
        if (bad.InnerException is not JsonException json)
        {
            // Binding reads nothing but the body (query values are read as text and checked by the operations), so
            // the body is what was missing or empty.
            return ApiErrors.Invalid(Body, "Send the operation's parameters as a JSON object in the body (Content-Type: application/json).");
        }
        if (json.InnerException is JsonException || PropertyOf(bodyType, json.Path) is not { } property)
        {
            // The reader's own error: the text is not JSON at all, or the body is not an object.
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            return ApiErrors.Invalid(Body, $"The body must be one JSON object with the operation's parameters{where}.");
        }
        return ApiErrors.Invalid(property.Name, $"{property.Name} {Expected(property.PropertyType)}.");
    }

    public static ApiException UnsupportedContentType() =>
        new(ApiErrors.UnsupportedContentType, 415, "Send the body as JSON, with the header Content-Type: application/json.");

    /// <summary>The body's property a JSON path such as <c>$.Tags[0]</c> starts with (names match in any case, as binding does).</summary>
    private static PropertyInfo? PropertyOf(Type? bodyType, string? path)
    {
        if (bodyType is null || path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }
        var name = path[2..].Split('.', '[')[0];
        return bodyType.GetProperties().SingleOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a property's value must be, said as JSON says it.</summary>
    private static string Expected(Type type)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        var item = scalar.IsGenericType ? scalar.GetGenericArguments()[0] : null;
        return (item, scalar) switch
        {
            (null, var s) when s == typeof(long) => "must be a whole number",
            (null, var s) when s == typeof(string) => "must be a string",
            ({ } i, _) when i == typeof(long) => "must be an array of whole numbers, such as [1001, 1002]",
            ({ } i, _) when i == typeof(string) => "must be an array of strings, such as [\"news\", \"sport\"]",
            _ => "has a value of the wrong kind; see the operation in /api/reference",
        };
    }
}
