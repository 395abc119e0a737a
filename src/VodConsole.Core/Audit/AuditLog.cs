using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Audit;

/// <summary>What the audit page asks for; every filter is optional.</summary>
public sealed record AuditQuery(string? Actor = null, long? ApplicationId = null, string? Action = null, DateOnly? From = null, DateOnly? To = null)
{
    /// <summary>The query as URL parameters, for the CSV link; <see cref="Parse"/> reads them back.</summary>
    public string QueryString => string.Join('&', new[]
    {
        Actor is null ? null : "actor=" + Uri.EscapeDataString(Actor),
        ApplicationId is null ? null : "app=" + ApplicationId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Action is null ? null : "action=" + Uri.EscapeDataString(Action),
        From is null ? null : "from=" + From.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        To is null ? null : "to=" + To.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p is not null));

    /// <summary>Reads the URL parameters; a malformed value is ignored (that filter is off), never an error page.</summary>
    public static AuditQuery Parse(string? actor, string? app, string? action, string? from, string? to) => new(
        string.IsNullOrWhiteSpace(actor) ? null : actor,
        long.TryParse(app, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null,
        string.IsNullOrWhiteSpace(action) ? null : action,
        DateOnly.TryParseExact(from, "yyyy-MM-dd", out var start) ? start : null,
        DateOnly.TryParseExact(to, "yyyy-MM-dd", out var end) ? end : null);
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore);

/// <summary>
/// Writes and reads the audit log. The actor and role come from the circuit's <see cref="RoleContext"/>; without one
/// (workers, start-up) the actor is "system". Values are stored as JSON, so before and after read the same for any target.
/// Administrators read the whole log; a user with full access to an application reads that application's entries.
/// </summary>
public sealed class AuditLog(IDbContextFactory<VodDbContext> dbFactory, RoleContext roles, AccessPolicy access, TimeProvider clock)
{
    public const string SystemActor = "system";
    public const int MaxPageSize = 200;

    // Enums by name: an operator reads "Disabled", not 1, and the names stay true if the enum is ever reordered.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// Who acts in the current scope, as entries name them: its user, its API key (never its secret) or the system; an
    /// administrator viewing as someone is named with both.
    /// </summary>
    public string Actor => roles.ApiKey is { } key ? key.ActorName
        : roles.Catalog is { ViewAs: { } view } viewed ? $"{view.AdministratorName} (viewing as {viewed.UserName})"
        : roles.Catalog?.UserName ?? SystemActor;

    /// <summary>Records a change made in the current scope by <see cref="Actor"/>.</summary>
    public Task RecordAsync(string action, long? applicationId, string target, object? before = null, object? after = null, CancellationToken ct = default) =>
        RecordAsync(roles.ApiKey is null ? roles.Catalog?.SignedInUserId : null, Actor, roles.Current?.Name ?? "", action, applicationId, target, before, after, ct);

    /// <summary>For events outside a console role, such as sign-ins: the actor is given.</summary>
    public async Task RecordAsync(
        string? userId, string actor, string role, string action, long? applicationId, string target,
        object? before = null, object? after = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            UserId = userId,
            Actor = Clip(actor, AuditEntry.ActorMaxLength),
            Role = Clip(role, AuditEntry.RoleMaxLength),
            ApplicationId = applicationId,
            Action = Clip(action, AuditEntry.ActionMaxLength),
            Target = Clip(target, AuditEntry.TargetMaxLength),
            Before = Serialize(before),
            After = Serialize(after),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Newest first, in keyset pages over the ID (which grows with time).</summary>
    public async Task<AuditPage> PageAsync(AuditQuery query, long? before, int size = 50, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        await RequireReaderAsync(query.ApplicationId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = Filtered(db.AuditEntries.AsNoTracking(), query);
        if (before is { } id)
        {
            entries = entries.Where(e => e.Id < id);
        }
        var (page, hasMore) = await entries.OrderByDescending(e => e.Id).TakePageAsync(size, ct);
        var labels = new ApplicationLabels(dbFactory, access);
        var named = new List<AuditEntry>(page.Count);
        foreach (var entry in page)
        {
            named.Add(await labels.NameApplicationsAsync(entry, ct));
        }
        return new AuditPage(named, hasMore ? page[^1].Id : null);
    }

    /// <summary>Every matching entry, newest first, streamed for the CSV export.</summary>
    public async IAsyncEnumerable<AuditEntry> AllAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await RequireReaderAsync(query.ApplicationId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var labels = new ApplicationLabels(dbFactory, access);
        await foreach (var entry in Filtered(db.AuditEntries.AsNoTracking(), query).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return await labels.NameApplicationsAsync(entry, ct);
        }
    }

    /// <summary>The people who appear in the log (or in one application's entries), for the filter.</summary>
    public async Task<IReadOnlyList<string>> ActorsAsync(long? applicationId = null, CancellationToken ct = default)
    {
        await RequireReaderAsync(applicationId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = applicationId is { } id ? db.AuditEntries.Where(e => e.ApplicationId == id) : db.AuditEntries;
        return await entries.Select(e => e.Actor).Distinct().OrderBy(a => a).Take(500).ToListAsync(ct);
    }

    /// <summary>The whole log is the Administrator's; one application's entries are also its full-access users'.</summary>
    private Task RequireReaderAsync(long? applicationId, CancellationToken ct) =>
        applicationId is { } id ? access.RequireFullAccessAsync(id, ct) : access.RequireAdministratorAsync(ct);

    private static IQueryable<AuditEntry> Filtered(IQueryable<AuditEntry> entries, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            entries = entries.Where(e => e.Actor == query.Actor);
        }
        if (query.ApplicationId is { } applicationId)
        {
            entries = entries.Where(e => e.ApplicationId == applicationId);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }
        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            entries = entries.Where(e => e.At >= start);
        }
        if (query.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            entries = entries.Where(e => e.At < end);
        }
        return entries;
    }

    private static string? Serialize(object? values)
    {
        if (values is null)
        {
            return null;
        }
        var json = JsonSerializer.Serialize(values, Json);
        return json.Length <= AuditEntry.ValuesMaxLength ? json : json[..(AuditEntry.ValuesMaxLength - 1)] + "…";
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
