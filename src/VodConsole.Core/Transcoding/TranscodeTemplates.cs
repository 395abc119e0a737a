using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Transcoding;

/// <summary>
/// The current application's transcoding templates — the system presets plus its own — and its default processing.
/// Custom templates are application-owned rows read and written through <see cref="ApplicationData"/>, so another
/// application's template is simply not found; presets are code and cannot be written by anyone.
/// </summary>
public sealed class TranscodeTemplates(ApplicationData data, AccessPolicy access, AuditLog audit, TimeProvider clock)
{
    public const string PresetReadOnlyMessage = "System presets are read-only; copy one into a template of your own to change it.";

    /// <summary>The presets first, then the application's own templates by name.</summary>
    public async Task<IReadOnlyList<TranscodeTemplateView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var own = await db.TranscodeTemplates.AsNoTracking().OrderBy(t => t.NormalizedName).ToListAsync(ct);
        return [.. TranscodePresets.All, .. own.Select(t => t.ToView())];
    }

    public async Task<TranscodeTemplateView> CreateAsync(TranscodeTemplateEdit edit, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var (name, renditions) = Valid(edit);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.TranscodeTemplates.CountAsync(ct) >= TranscodeTemplateRules.MaxCustomTemplates)
        {
            throw new DomainRuleException(
                $"This application already has {TranscodeTemplateRules.MaxCustomTemplates} templates, the most it may have; delete one first.");
        }
        await CheckUniqueAsync(db, name, null, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var template = new TranscodeTemplate
        {
            ApplicationId = db.IsolatedApplicationId!.Value, Name = name, NormalizedName = name.ToUpperInvariant(), Format = edit.Format,
            Renditions = renditions, CreatedAt = now, ModifiedAt = now,
        };
        db.TranscodeTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.TranscodeTemplateCreated, template.ApplicationId, AuditTargets.TranscodeTemplate(template.Id, name),
            null, Values(template), ct);
        return template.ToView();
    }

    /// <summary>Copies a preset into a new template of the application, named after it ("… (copy)", numbered if taken).</summary>
    public async Task<TranscodeTemplateView> CopyPresetAsync(long presetId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var preset = TranscodePresets.Find(presetId) ?? throw new ResourceNotFoundException("TranscodeTemplate", "Not found: there is no such preset.");
        if (preset.Format == TranscodeFormat.Audio)
        {
            throw new DomainRuleException("The audio-only preset has nothing to adjust; use it as it is.");
        }
        List<string> taken;
        await using (var db = await data.OpenAsync(ct))
        {
            taken = await db.TranscodeTemplates.Select(t => t.NormalizedName).ToListAsync(ct);
        }
        var name = Enumerable.Range(1, TranscodeTemplateRules.MaxCustomTemplates + 1)
            .Select(n => n == 1 ? $"{preset.Name} (copy)" : $"{preset.Name} (copy {n})")
            .First(n => !taken.Contains(n.ToUpperInvariant()));
        return await CreateAsync(new TranscodeTemplateEdit(name, preset.Format, preset.Renditions), ct);
    }

    /// <summary>
    /// Saves a template. <paramref name="expectedVersion"/> is the version the operator opened; a newer one stored meanwhile
    /// raises <see cref="TranscodeTemplateConflictException"/> and nothing is written. Queued jobs keep the template as it was.
    /// </summary>
    public async Task<TranscodeTemplateView> UpdateAsync(long id, TranscodeTemplateEdit edit, long expectedVersion, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        RefusePreset(id);
        var (name, renditions) = Valid(edit);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var template = await db.TranscodeTemplates.SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound();
        if (template.Version != expectedVersion)
        {
            throw new TranscodeTemplateConflictException(template.ToView());
        }
        await CheckUniqueAsync(db, name, id, ct);
        var before = Values(template);
        template.Name = name;
        template.NormalizedName = name.ToUpperInvariant();
        template.Format = edit.Format;
        template.Renditions = renditions;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await data.OpenAsync(ct);
            throw new TranscodeTemplateConflictException(
                (await fresh.TranscodeTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound()).ToView());
        }
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.TranscodeTemplateUpdated, template.ApplicationId, AuditTargets.TranscodeTemplate(id, name),
            before, Values(template), ct);
        return template.ToView();
    }

    /// <summary>Deletes a template, unless a job still waits for or runs it, or it is the default processing.</summary>
    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        RefusePreset(id);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var template = await db.TranscodeTemplates.SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound();
        var active = await db.TranscodeJobs.CountAsync(
            j => j.TemplateId == id && (j.State == TranscodeJobState.Queued || j.State == TranscodeJobState.Running), ct);
        if (active > 0)
        {
            throw new DomainRuleException(active == 1
                ? $"\"{template.Name}\" is in use by a transcoding job that is queued or running; cancel it or let it finish, then delete the template."
                : $"\"{template.Name}\" is in use by {active} transcoding jobs that are queued or running; cancel them or let them finish, then delete the template.");
        }
        if (await db.TranscodeSettings.AnyAsync(s => s.DefaultTemplateId == id, ct))
        {
            throw new DomainRuleException($"\"{template.Name}\" is the default processing for new uploads; choose another default first.");
        }
        db.TranscodeTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.TranscodeTemplateDeleted, template.ApplicationId, AuditTargets.TranscodeTemplate(id, template.Name),
            Values(template), null, ct);
    }

    /// <summary>The template every new upload runs through (a preset's or a custom template's ID), or null for none.</summary>
    public async Task<long?> GetDefaultAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        return await db.TranscodeSettings.Select(s => s.DefaultTemplateId).SingleOrDefaultAsync(ct);
    }

    /// <summary>Sets the default processing: null for none, or a preset or one of the application's templates.</summary>
    public async Task SetDefaultAsync(long? templateId, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        string? name = null;
        if (templateId is { } id)
        {
            // Isolated context: another application's template is not found, so it can never become this one's default.
            name = TranscodePresets.Find(id)?.Name
                ?? await db.TranscodeTemplates.Where(t => t.Id == id).Select(t => t.Name).SingleOrDefaultAsync(ct)
                ?? throw NotFound();
        }
        var settings = await db.TranscodeSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new TranscodeSettings { ApplicationId = db.IsolatedApplicationId!.Value };
            db.TranscodeSettings.Add(settings);
        }
        var before = settings.DefaultTemplateId;
        settings.DefaultTemplateId = templateId;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.DefaultProcessingChanged, settings.ApplicationId, "Default processing",
            new { DefaultTemplateId = before }, new { DefaultTemplateId = templateId, Template = name }, ct);
    }

    /// <summary>The template a job should run: a preset, or one of the context's application's own (else not found).</summary>
    internal static async Task<TranscodeTemplateView> ResolveAsync(VodDbContext db, long id, CancellationToken ct) =>
        TranscodePresets.Find(id)
        ?? (await db.TranscodeTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct))?.ToView()
        ?? throw NotFound();

    internal static ResourceNotFoundException NotFound() =>
        new("TranscodeTemplate", "Not found: this transcoding template does not exist in this application.");

    private static void RefusePreset(long id)
    {
        if (TranscodePresets.Find(id) is not null)
        {
            throw new DomainRuleException(PresetReadOnlyMessage);
        }
    }

    private static (string Name, List<TranscodeRendition> Renditions) Valid(TranscodeTemplateEdit edit)
    {
        var name = TranscodeTemplateRules.ValidName(edit.Name);
        TranscodeTemplateRules.ValidFormat(edit.Format);
        return (name, TranscodeTemplateRules.ValidRenditions(edit.Renditions));
    }

    private static async Task CheckUniqueAsync(VodDbContext db, string name, long? exceptId, CancellationToken ct)
    {
        var normalized = name.ToUpperInvariant();
        if (TranscodePresets.All.Any(p => p.Name.ToUpperInvariant() == normalized)
            || await db.TranscodeTemplates.AnyAsync(t => t.NormalizedName == normalized && t.Id != exceptId, ct))
        {
            throw new DomainRuleException($"A template named \"{name}\" already exists in this application; choose another name.", "Name");
        }
    }

    private static object Values(TranscodeTemplate template) => new
    {
        template.Name, Format = template.Format.ToString(),
        Renditions = string.Join(", ", template.Renditions.Select(r =>
            $"{r.Height}p {r.VideoBitrateKbps} kbit/s ≤{r.MaxFrameRate} fps, audio {r.AudioBitrateKbps} kbit/s")),
    };
}

/// <summary>Someone saved the template after the operator opened it; <see cref="Current"/> is what is stored now.</summary>
public sealed class TranscodeTemplateConflictException(TranscodeTemplateView current)
    : Exception("This template was changed by someone else after you opened it. Your changes were not saved.")
{
    public TranscodeTemplateView Current { get; } = current;
}
