using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Network;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Configuration;

/// <summary>
/// Configuration templates and drift: exports an application's configuration as a <see cref="ConfigurationDocument"/>,
/// previews what applying sections of a document would change in other applications, and applies a preview — per
/// target one transaction and one audit entry, through contexts isolated to that target (<see cref="ApplicationData"/>).
/// Reading needs access to the application; previewing and applying need full access to every target (an
/// Administrator or an account key has it), and an application the caller may not see answers as not found.
/// Secrets are never copied: a target keeps its own playback signing key and callback key, or gets a new one when it
/// needs one and has none. Applying adds and updates, never deletes: a target's own templates and categories stay.
/// </summary>
public sealed class ConfigurationService(
    ApplicationData data, AccessPolicy access, AuditLog audit, IDataProtectionProvider dataProtection,
    OutboundAddressPolicy addresses, TimeProvider clock)
{
    public const string SectionsField = "Sections";
    public const string TargetsField = "Targets";
    /// <summary>How many applications one preview may name (the page offers every application; more is a mistake).</summary>
    public const int MaxTargets = 100;

    private readonly IDataProtector playbackKeys = PlaybackSettingsService.KeyProtector(dataProtection);
    private readonly IDataProtector callbackKeys = CallbackKeys.Protector(dataProtection);

    /// <summary>The application's configuration now, for anyone who may see the application.</summary>
    public async Task<ConfigurationDocument> ExportAsync(long applicationId, CancellationToken ct = default)
    {
        await access.RequireReadAsync(applicationId, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        return (await ReadAsync(db, applicationId, ct) ?? throw NotFound()).Document;
    }

    /// <summary>What applying <paramref name="sections"/> of <paramref name="source"/> would change in each target; changes nothing.</summary>
    public async Task<ConfigurationPreview> PreviewAsync(
        ConfigurationDocument source, IReadOnlyCollection<ConfigSection> sections, IReadOnlyCollection<long> targetIds,
        CancellationToken ct = default)
    {
        var chosen = sections.Distinct().Order().ToList();
        if (chosen.Count == 0 || chosen.Any(s => !Enum.IsDefined(s)))
        {
            throw new DomainRuleException("Choose at least one section to apply: playback, callbacks, transcoding, review or categories.", SectionsField);
        }
        var targets = targetIds.Distinct().ToList();
        if (targets.Count is 0 or > MaxTargets)
        {
            throw new DomainRuleException($"Choose 1 to {MaxTargets} applications to apply the configuration to.", TargetsField);
        }
        await RequireChangeAsync(targets, ct);
        var previews = new List<TargetPreview>();
        foreach (var target in targets)
        {
            await using var db = await data.OpenForAsync(target, ct);
            var state = await ReadAsync(db, target, ct) ?? throw NotFound();
            var plan = Plan(state, source, chosen);
            previews.Add(new TargetPreview(target, state.Document.Application.Name, state.Fingerprint, plan.Changes, plan.Notes, plan.Problem));
        }
        return new ConfigurationPreview(source, chosen, previews);
    }

    /// <summary>
    /// Applies a preview: each target on its own, in one transaction, only if it is still as previewed and takes the
    /// sections; one audit entry per changed target. A target that fails changes nothing and the others go on.
    /// </summary>
    public async Task<IReadOnlyList<ConfigurationApplyResult>> ApplyAsync(ConfigurationPreview preview, CancellationToken ct = default)
    {
        // Every target is checked before the first is written: a refusal changes nothing anywhere.
        await RequireChangeAsync(preview.Targets.Select(t => t.ApplicationId).ToList(), ct);
        var results = new List<ConfigurationApplyResult>();
        foreach (var target in preview.Targets)
        {
            results.Add(await ApplyToAsync(preview, target, ct));
        }
        return results;
    }

    private async Task<ConfigurationApplyResult> ApplyToAsync(ConfigurationPreview preview, TargetPreview target, CancellationToken ct)
    {
        await using var db = await data.OpenForAsync(target.ApplicationId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await ReadAsync(db, target.ApplicationId, ct) ?? throw NotFound();
        if (state.Fingerprint != target.Fingerprint)
        {
            return Result(ApplyOutcome.Stale, $"{target.Name} was changed after the preview, so nothing was applied to it. Preview again to see its changes.");
        }
        var plan = Plan(state, preview.Source, preview.Sections);
        if (plan.Problem is { } problem)
        {
            return Result(ApplyOutcome.Invalid, $"Nothing was applied to {target.Name}: {problem}");
        }
        if (plan.Changes.Count == 0)
        {
            return Result(ApplyOutcome.NothingToChange, $"{target.Name} already has this configuration; nothing was changed.");
        }
        try
        {
            await WriteAsync(db, plan.After, preview.Sections, ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A row's version moved under us: the transaction is rolled back as a whole.
            return Result(ApplyOutcome.Stale, $"{target.Name} was changed while the configuration was being applied, so nothing was applied to it. Preview again.");
        }
        catch (DbUpdateException)
        {
            // The database refused a row (a name another save took meanwhile, a constraint): rolled back as a whole.
            return Result(ApplyOutcome.Failed, $"Saving {target.Name}'s configuration failed, so nothing was applied to it. Preview again and retry.");
        }
        await audit.RecordAsync(AuditActions.ConfigurationApplied, target.ApplicationId,
            $"Configuration from {preview.Source.Application.Name} ({string.Join(", ", preview.Sections)})",
            AuditValues(plan.Changes, r => r.Left), AuditValues(plan.Changes, r => r.Right), ct);
        return Result(ApplyOutcome.Applied, $"Applied to {target.Name}: {plan.Changes.Count} change{(plan.Changes.Count == 1 ? "" : "s")}.", plan.Changes);

        ConfigurationApplyResult Result(ApplyOutcome outcome, string message, IReadOnlyList<ConfigurationRow>? changes = null) =>
            new(target.ApplicationId, target.Name, outcome, message, changes ?? []);
    }

    private async Task RequireChangeAsync(IReadOnlyList<long> targets, CancellationToken ct)
    {
        foreach (var target in targets)
        {
            // Seeing it first: an application the caller may not see is "not found", not "read-only".
            await access.RequireReadAsync(target, ct);
            await access.RequireWriteAsync(target, ct);
        }
    }

    /// <summary>An application's configuration as its context sees it, with whether it holds each key (never the keys).</summary>
    private sealed record ApplicationState(ConfigurationDocument Document, bool HasSigningKey, bool HasCallbackKey)
    {
        public string Fingerprint { get; } = FingerprintOf(Document, HasSigningKey, HasCallbackKey);
    }

    private sealed record ApplyPlan(ConfigurationDocument After, IReadOnlyList<ConfigurationRow> Changes, IReadOnlyList<string> Notes, string? Problem);

    private async Task<ApplicationState?> ReadAsync(VodDbContext db, long applicationId, CancellationToken ct)
    {
        var name = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.Name).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return null;
        }
        var playback = await db.PlaybackSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        var callbacks = await db.CallbackSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        var templates = await db.TranscodeTemplates.AsNoTracking().ToListAsync(ct);
        var defaultId = await db.TranscodeSettings.Select(s => s.DefaultTemplateId).SingleOrDefaultAsync(ct);
        var review = await db.ReviewSettings.Select(s => s.Mode).SingleOrDefaultAsync(ct); // no row: Off
        var categories = await db.MediaCategories.Select(c => c.Name).ToListAsync(ct);
        var defaultName = defaultId is { } id
            ? TranscodePresets.Find(id)?.Name ?? templates.FirstOrDefault(t => t.Id == id)?.Name
            : null;
        var document = Normalized(new ConfigurationDocument(
            ConfigurationDocument.CurrentSchemaVersion,
            new ConfigurationSource(applicationId, name),
            clock.GetUtcNow().UtcDateTime,
            new PlaybackConfiguration($"/play/{applicationId}", playback?.SigningEnabled ?? false),
            new CallbackConfigurationSection(callbacks?.Mode ?? CallbackMode.Off, callbacks?.Url,
                [.. CallbackSubscriptions.Parse(callbacks?.EventTypes)]),
            new TranscodingConfiguration(templates.Select(t => new TemplateConfiguration(t.Name, t.Format, t.Renditions)).ToList(), defaultName),
            new ReviewConfiguration(review),
            categories));
        return new ApplicationState(document, playback?.ProtectedSigningKey is not null, callbacks?.ProtectedKey is not null);
    }

    /// <summary>The order an export has, so a merged document and a later export of the same configuration are equal.</summary>
    private static ConfigurationDocument Normalized(ConfigurationDocument d) => d with
    {
        Callbacks = d.Callbacks with { Events = [.. d.Callbacks.Events.Distinct().Order()] },
        Transcoding = d.Transcoding with
        {
            Templates = [.. d.Transcoding.Templates
                .Select(t => t with { Renditions = [.. t.Renditions.OrderBy(r => r.Height)] })
                .OrderBy(t => t.Name.ToUpperInvariant(), StringComparer.Ordinal)],
        },
        Categories = [.. d.Categories.Order(StringComparer.OrdinalIgnoreCase)],
    };

    private static string FingerprintOf(ConfigurationDocument document, bool hasSigningKey, bool hasCallbackKey)
    {
        var sections = new { document.Playback, document.Callbacks, document.Transcoding, document.Review, document.Categories, hasSigningKey, hasCallbackKey };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sections))))[..32];
    }

    /// <summary>The target after applying the sections (adding and updating, never deleting), and whether it may be.</summary>
    private ApplyPlan Plan(ApplicationState state, ConfigurationDocument source, IReadOnlyCollection<ConfigSection> sections)
    {
        var target = state.Document;
        var after = target;
        var notes = new List<string>();
        var name = target.Application.Name;
        if (sections.Contains(ConfigSection.Playback))
        {
            after = after with { Playback = target.Playback with { SigningEnabled = source.Playback.SigningEnabled } };
            if (state.HasSigningKey)
            {
                notes.Add($"{name} keeps its own URL-signing key: keys are never copied.");
            }
            else if (source.Playback.SigningEnabled)
            {
                notes.Add($"A new URL-signing key is generated for {name} (keys are never copied); share it with whoever signs its links.");
            }
        }
        if (sections.Contains(ConfigSection.Callbacks))
        {
            after = after with { Callbacks = source.Callbacks };
            notes.Add(state.HasCallbackKey
                ? $"{name} keeps its own callback key: keys are never copied."
                : $"A new callback key is generated for {name} (keys are never copied); give it to the receiver.");
        }
        if (sections.Contains(ConfigSection.Transcoding))
        {
            var templates = target.Transcoding.Templates.ToList();
            foreach (var template in source.Transcoding.Templates)
            {
                var index = templates.FindIndex(t => t.Name.ToUpperInvariant() == template.Name?.ToUpperInvariant());
                if (index < 0)
                {
                    templates.Add(template);
                }
                else
                {
                    // The target's own spelling of the name stays: names match ignoring case.
                    templates[index] = template with { Name = templates[index].Name };
                }
            }
            after = after with { Transcoding = new TranscodingConfiguration(templates, source.Transcoding.DefaultProcessing) };
            var own = target.Transcoding.Templates.Where(t => !source.Transcoding.Templates.Any(s => s.Name?.ToUpperInvariant() == t.Name.ToUpperInvariant()))
                .Select(t => t.Name).ToList();
            if (own.Count > 0)
            {
                notes.Add($"Templates only {name} has stay as they are: {string.Join(", ", own)}.");
            }
        }
        if (sections.Contains(ConfigSection.Review))
        {
            after = after with { Review = source.Review };
        }
        if (sections.Contains(ConfigSection.Categories))
        {
            var keys = target.Categories.Select(TextRules.NameKey).ToHashSet();
            after = after with { Categories = [.. target.Categories, .. source.Categories.Where(c => keys.Add(TextRules.NameKey(c)))] };
            var sourceKeys = source.Categories.Select(TextRules.NameKey).ToHashSet();
            var own = target.Categories.Where(c => !sourceKeys.Contains(TextRules.NameKey(c))).ToList();
            if (own.Count > 0)
            {
                notes.Add($"Categories only {name} has stay (applying never deletes a category, nor moves its media): {string.Join(", ", own)}.");
            }
        }
        string? problem = null;
        try
        {
            after = Normalized(Validated(after, sections));
        }
        catch (DomainRuleException rule)
        {
            problem = rule.Message;
        }
        var changes = problem is null ? ConfigurationComparison.Differences(target, after, sections) : [];
        return new ApplyPlan(after, changes, notes, problem);
    }

    /// <summary>The applied sections checked by the rules the console's own pages apply; the first broken one is thrown.</summary>
    private ConfigurationDocument Validated(ConfigurationDocument after, IReadOnlyCollection<ConfigSection> sections)
    {
        if (sections.Contains(ConfigSection.Callbacks))
        {
            var callbacks = after.Callbacks;
            if (!Enum.IsDefined(callbacks.Mode) || callbacks.Events.Any(e => !Enum.IsDefined(e) || e == CallbackEventType.Test))
            {
                throw new DomainRuleException("Callbacks: the mode is Off, Push or Pull, and the events are those the callbacks page offers.");
            }
            var url = callbacks.Url?.Trim();
            if (callbacks.Mode == CallbackMode.Push && string.IsNullOrEmpty(url))
            {
                throw new DomainRuleException("Callbacks: Push mode needs the URL events are posted to.");
            }
            if (!string.IsNullOrEmpty(url))
            {
                if (OutboundUrl.Read(url, CallbackSettings.UrlMaxLength, "used for callbacks", addresses, out var parsed) is { } urlProblem)
                {
                    throw new DomainRuleException("Callbacks: the URL is not usable: " + urlProblem);
                }
                url = parsed.AbsoluteUri;
            }
            after = after with { Callbacks = callbacks with { Url = string.IsNullOrEmpty(url) ? null : url } };
        }
        if (sections.Contains(ConfigSection.Transcoding))
        {
            var templates = new List<TemplateConfiguration>();
            foreach (var template in after.Transcoding.Templates)
            {
                var name = Prefixed("Transcoding", () => TranscodeTemplateRules.ValidName(template.Name));
                Prefixed($"Transcoding, template \"{name}\"", () => TranscodeTemplateRules.ValidFormat(template.Format));
                var renditions = Prefixed($"Transcoding, template \"{name}\"", () => TranscodeTemplateRules.ValidRenditions(template.Renditions));
                if (TranscodePresets.All.Any(p => p.Name.ToUpperInvariant() == name.ToUpperInvariant()))
                {
                    throw new DomainRuleException($"Transcoding: \"{name}\" is the name of a system preset; a template of one's own needs another name.");
                }
                templates.Add(new TemplateConfiguration(name, template.Format, renditions));
            }
            if (templates.GroupBy(t => t.Name.ToUpperInvariant()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new DomainRuleException($"Transcoding: the template \"{twice.First().Name}\" is named twice.");
            }
            if (templates.Count > TranscodeTemplateRules.MaxCustomTemplates)
            {
                throw new DomainRuleException(
                    $"Transcoding: {after.Application.Name} would have {templates.Count} templates, more than the {TranscodeTemplateRules.MaxCustomTemplates} an application may have; delete some of its own first.");
            }
            // By name, in the spelling the preset or template has: the name is what a later export writes.
            var resolved = after.Transcoding.DefaultProcessing is not { } defaultName ? null
                : TranscodePresets.All.FirstOrDefault(p => p.Name.Equals(defaultName, StringComparison.OrdinalIgnoreCase))?.Name
                    ?? templates.FirstOrDefault(t => t.Name.Equals(defaultName, StringComparison.OrdinalIgnoreCase))?.Name
                    ?? throw new DomainRuleException($"Transcoding: the default processing \"{defaultName}\" is neither a system preset nor one of the templates.");
            after = after with { Transcoding = new TranscodingConfiguration(templates, resolved) };
        }
        if (sections.Contains(ConfigSection.Review) && !Enum.IsDefined(after.Review.Mode))
        {
            throw new DomainRuleException("Review: the mode is Off or Manual.");
        }
        if (sections.Contains(ConfigSection.Categories))
        {
            after = after with { Categories = [.. after.Categories.Select(c => Prefixed("Categories", () => MediaCategories.ValidName(c)))] };
        }
        return after;
    }

    private static void Prefixed(string where, Action rule) => Prefixed(where, () =>
    {
        rule();
        return true;
    });

    /// <summary>Runs one of the console's own rules, saying which section (and template) its message is about.</summary>
    private static T Prefixed<T>(string where, Func<T> rule)
    {
        try
        {
            return rule();
        }
        catch (DomainRuleException e)
        {
            throw new DomainRuleException($"{where}: {e.Message}");
        }
    }

    /// <summary>Writes the applied sections of <paramref name="after"/> into the target's rows (inside the caller's transaction).</summary>
    private async Task WriteAsync(VodDbContext db, ConfigurationDocument after, IReadOnlyCollection<ConfigSection> sections, CancellationToken ct)
    {
        var applicationId = db.IsolatedApplicationId!.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        if (sections.Contains(ConfigSection.Playback))
        {
            var row = await db.PlaybackSettings.SingleOrDefaultAsync(ct) ?? db.PlaybackSettings.Add(new PlaybackSettings { ApplicationId = applicationId }).Entity;
            row.SigningEnabled = after.Playback.SigningEnabled;
            if (row.SigningEnabled && row.ProtectedSigningKey is null)
            {
                row.ProtectedSigningKey = playbackKeys.Protect(UrlSigning.GenerateKey());
            }
        }
        if (sections.Contains(ConfigSection.Callbacks))
        {
            // A new row starts at version 1, above the 0 of "no settings yet", as the callbacks page's first save does.
            var row = await db.CallbackSettings.SingleOrDefaultAsync(ct)
                ?? db.CallbackSettings.Add(new CallbackSettings { ApplicationId = applicationId, Version = 1 }).Entity;
            row.Mode = after.Callbacks.Mode;
            row.Url = after.Callbacks.Url;
            row.EventTypes = CallbackSubscriptions.Format(after.Callbacks.Events);
            row.ModifiedAt = now;
            row.ProtectedKey ??= callbackKeys.Protect(CallbackSignature.GenerateKey());
        }
        if (sections.Contains(ConfigSection.Transcoding))
        {
            var existing = await db.TranscodeTemplates.ToListAsync(ct);
            foreach (var template in after.Transcoding.Templates)
            {
                var normalized = template.Name.ToUpperInvariant();
                var row = existing.FirstOrDefault(t => t.NormalizedName == normalized);
                if (row is null)
                {
                    db.TranscodeTemplates.Add(new TranscodeTemplate
                    {
                        ApplicationId = applicationId, Name = template.Name, NormalizedName = normalized, Format = template.Format,
                        Renditions = [.. template.Renditions], CreatedAt = now, ModifiedAt = now,
                    });
                }
                else if (row.Format != template.Format || !row.Renditions.SequenceEqual(template.Renditions))
                {
                    row.Format = template.Format;
                    row.Renditions = [.. template.Renditions];
                    row.ModifiedAt = now;
                }
            }
            // New templates get their IDs here, before the default processing can name one.
            await db.SaveChangesAsync(ct);
            var defaultId = after.Transcoding.DefaultProcessing is { } defaultName
                ? TranscodePresets.All.FirstOrDefault(p => p.Name == defaultName)?.Id
                    ?? await db.TranscodeTemplates.Where(t => t.NormalizedName == defaultName.ToUpperInvariant()).Select(t => t.Id).SingleAsync(ct)
                : (long?)null;
            var settings = await db.TranscodeSettings.SingleOrDefaultAsync(ct)
                ?? db.TranscodeSettings.Add(new TranscodeSettings { ApplicationId = applicationId }).Entity;
            if (settings.DefaultTemplateId != defaultId)
            {
                settings.DefaultTemplateId = defaultId;
                settings.ModifiedAt = now;
            }
        }
        if (sections.Contains(ConfigSection.Review))
        {
            var row = await db.ReviewSettings.SingleOrDefaultAsync(ct)
                ?? db.ReviewSettings.Add(new ReviewSettings { ApplicationId = applicationId, Version = 1 }).Entity;
            if (row.Mode != after.Review.Mode)
            {
                row.Mode = after.Review.Mode;
                row.ModifiedAt = now;
            }
        }
        if (sections.Contains(ConfigSection.Categories))
        {
            var keys = (await db.MediaCategories.Select(c => c.Name).ToListAsync(ct)).Select(TextRules.NameKey).ToHashSet();
            db.MediaCategories.AddRange(after.Categories.Where(c => keys.Add(TextRules.NameKey(c)))
                .Select(c => new MediaCategory { ApplicationId = applicationId, Name = c }));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The audit entry's values: one per changed item ("Review · Review mode"), the target's side before or after; an item
    /// the side does not have is left out, so the log shows it as absent.
    /// </summary>
    private static Dictionary<string, string> AuditValues(IEnumerable<ConfigurationRow> changes, Func<ConfigurationRow, string?> side) =>
        changes.Where(r => side(r) is not null).ToDictionary(r => $"{r.Section} · {r.Item}", r => side(r)!);

    private static ResourceNotFoundException NotFound() => new("Application", AccessPolicy.NotFoundMessage);
}
