using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VodConsole.Core.Callbacks;

/// <summary>
/// The JSON an application receives for an event, pushed or pulled alike:
/// <c>{ "EventType": "MediaProcessed", "EventId": 42, "SubAppId": 1500000123, "CreatedAt": "2026-…Z", "Data": { "MediaId": 7, … } }</c>.
/// Field names follow the VOD services' callback bodies (PascalCase, <c>SubAppId</c>).
/// </summary>
public static class CallbackPayload
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string DataJson(object data) => JsonSerializer.Serialize(data, Json);

    public static string Envelope(CallbackEvent e)
    {
        var envelope = new JsonObject
        {
            ["EventType"] = e.Type.ToString(),
            ["EventId"] = e.Id,
            ["SubAppId"] = e.ApplicationId,
            ["CreatedAt"] = e.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["Data"] = JsonNode.Parse(e.Data),
        };
        if (e.ReplayOfId is { } original)
        {
            envelope["ReplayOf"] = original;
        }
        return envelope.ToJsonString(Json);
    }
}
