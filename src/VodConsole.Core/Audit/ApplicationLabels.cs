using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Audit;

/// <summary>
/// Shows the application IDs inside an entry's values (a move's <c>ApplicationId</c> before and after) as the reader may
/// see them: the application's name if the reader may see it, else "another application". An entry in application A's
/// log about a move to B thus never tells a reader who may not see B that B exists, nor its ID (issue 12, item 8).
/// The stored entry is unchanged; each read decides for its reader.
/// </summary>
internal sealed class ApplicationLabels(IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access)
{
    public const string AnotherApplication = "another application";
    private const string IdProperty = "ApplicationId";
    private const string LabelProperty = "Application";

    private readonly Dictionary<long, string> labels = [];

    public async Task<AuditEntry> NameApplicationsAsync(AuditEntry entry, CancellationToken ct)
    {
        var before = await NamedAsync(entry.Before, ct);
        var after = await NamedAsync(entry.After, ct);
        return before == entry.Before && after == entry.After
            ? entry
            : new AuditEntry
            {
                Id = entry.Id, At = entry.At, UserId = entry.UserId, Actor = entry.Actor, Role = entry.Role,
                ApplicationId = entry.ApplicationId, Action = entry.Action, Target = entry.Target, Before = before, After = after,
            };
    }

    private async Task<string?> NamedAsync(string? json, CancellationToken ct)
    {
        if (json is null || !json.Contains($"\"{IdProperty}\"", StringComparison.Ordinal)
            || ParseObject(json) is not { } values
            || values[IdProperty] is not JsonValue idValue || !idValue.TryGetValue<long>(out var id))
        {
            return json;
        }
        var named = new JsonObject();
        foreach (var (name, value) in values.ToList())
        {
            values.Remove(name);
            if (name == IdProperty)
            {
                named[LabelProperty] = await LabelAsync(id, ct);
            }
            else
            {
                named[name] = value;
            }
        }
        return named.ToJsonString();
    }

    private async Task<string> LabelAsync(long id, CancellationToken ct)
    {
        if (!labels.TryGetValue(id, out var label))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var name = await db.Applications.Where(a => a.Id == id).Select(a => a.Name).SingleOrDefaultAsync(ct);
            label = labels[id] = name is not null && await access.MayReadAsync(id, ct) ? name : AnotherApplication;
        }
        return label;
    }

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // clipped at the length limit: shown as stored
        }
    }
}
