using System.Text.Json;

namespace VodConsole.Core.Audit;

/// <summary>One value of an audit entry side by side: its name, before and after (null when absent on that side).</summary>
public sealed record AuditChangedValue(string Name, string? Before, string? After)
{
    public bool Changed => Before != After;
}

/// <summary>
/// Reads an entry's before/after JSON as a list of named values, so the log can show what changed at a glance instead of
/// two blobs. Values that are not JSON objects (older or unusual entries) come back as one unnamed value.
/// </summary>
public static class AuditChange
{
    public static IReadOnlyList<AuditChangedValue> Compare(string? before, string? after)
    {
        var left = Properties(before);
        var right = Properties(after);
        if (left is null || right is null)
        {
            return before is null && after is null ? [] : [new AuditChangedValue("", before, after)];
        }
        return left.Keys.Concat(right.Keys.Where(k => !left.ContainsKey(k)))
            .Select(name => new AuditChangedValue(name, left.GetValueOrDefault(name), right.GetValueOrDefault(name)))
            .ToList();
    }

    /// <summary>The top-level properties with their values as compact text; empty for no JSON, null for JSON that is not an object.</summary>
    private static Dictionary<string, string>? Properties(string? json)
    {
        if (json is null)
        {
            return [];
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                properties[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetRawText();
            }
            return properties;
        }
        catch (JsonException)
        {
            return null; // clipped at the length limit: shown as stored
        }
    }
}
