using System.Globalization;
using System.Text;
using System.Text.Json;
using VodConsole.Core.Api;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Api;

/// <summary>
/// Reads the API's parameters with the error a developer can act on (<c>InvalidParameter.{Name}</c>), instead of the
/// framework's bare 400. Query values arrive as text and are parsed here.
/// </summary>
internal static class ApiParameters
{
    /// <summary>An enum value by its name (any case); numbers are refused, as they name nothing to a reader.</summary>
    public static T? Enum<T>(string? value, string name) where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var match = System.Enum.GetValues<T>().Where(v => v.ToString().Equals(value.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return match.Count == 1
            ? match[0]
            : throw ApiErrors.Invalid(name, $"{name} must be one of: {string.Join(", ", System.Enum.GetNames<T>())}.");
    }

    public static long? Long(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw ApiErrors.Invalid(name, $"{name} must be a whole number (digits).");
    }

    /// <summary>
    /// The applications a comma-separated <c>SubAppIds</c> names, each as <c>SubAppId</c> would name it (0: the primary
    /// application); null when absent. One the key may not use is not found (404), exactly like one that does not exist.
    /// </summary>
    public static IReadOnlyList<long>? SubAppIds(string? value, RoleCatalog catalog)
    {
        const string name = "SubAppIds";
        if (value is null)
        {
            return null;
        }
        var ids = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            throw ApiErrors.Invalid(name, "Give application IDs in SubAppIds, separated by commas, or leave it out to search every application the key may use.");
        }
        return [.. ids.Select(id => ApiKeyRoles.ResolveApplication(catalog, id, name).ApplicationId!.Value).Distinct()];
    }

    /// <summary>1 to <see cref="MediaSelection.MaxItems"/> media IDs, each once.</summary>
    public static IReadOnlyList<long> MediaIds(IReadOnlyList<long>? ids)
    {
        var distinct = (ids ?? []).Distinct().ToList();
        if (distinct.Count == 0)
        {
            throw ApiErrors.Invalid("MediaIds", "Give at least one media ID in MediaIds.");
        }
        return distinct.Count <= MediaSelection.MaxItems
            ? distinct
            : throw new ApiException(ApiErrors.LimitExceeded + ".MediaIds", 400,
                $"At most {MediaSelection.MaxItems} media IDs per request; this one has {distinct.Count}.");
    }
}

/// <summary>
/// A whole-number query parameter with its range and default. Endpoints carry the ones they read as metadata, so the
/// OpenAPI document states the same range and default the operation enforces.
/// </summary>
public sealed record ApiIntegerParameter(string Name, int Min, int Max, int Default, string Description)
{
    /// <summary>Items per page of the media list.</summary>
    public static ApiIntegerParameter Limit { get; } =
        new("Limit", 1, MediaLibrary.MaxPageSize, 20, "Items per page.");

    /// <summary>Events per read of the callback queue.</summary>
    public static ApiIntegerParameter MaxEvents { get; } =
        new("Max", 1, CallbackQueue.MaxBatch, CallbackQueue.MaxBatch, "The most events to answer.");

    public int Read(string? value)
    {
        var number = ApiParameters.Long(value, Name) ?? Default;
        return number >= Min && number <= Max
            ? (int)number
            : throw ApiErrors.Invalid(Name, $"{Name} must be a whole number from {Min} to {Max} (default {Default}).");
    }
}

/// <summary>
/// The opaque continuation token of media pages: the keyset cursor (<see cref="MediaCursor"/>, or a search across
/// applications' <see cref="VodConsole.Core.Media.Search.CrossApplicationCursor"/>) as base64url JSON. A forged token can
/// only start a page elsewhere in the same search: a cursor carries sort keys, never an application.
/// </summary>
internal static class ContinuationTokens
{
    public const string Parameter = "ContinuationToken";

    public static string? Encode<T>(T? cursor) where T : class =>
        cursor is null ? null : Base64Url(JsonSerializer.SerializeToUtf8Bytes(cursor));

    public static T? Decode<T>(string? token) where T : class
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }
        try
        {
            var padded = token.Trim().Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            return JsonSerializer.Deserialize<T>(Convert.FromBase64String(padded))
                ?? throw new JsonException();
        }
        catch (Exception e) when (e is FormatException or JsonException or NotSupportedException)
        {
            throw ApiErrors.Invalid(Parameter, "The continuation token is not one this API gave; start again without it.");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
