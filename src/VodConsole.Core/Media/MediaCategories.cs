using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Media;

/// <summary>A category with how many of the application's media items are in it.</summary>
public sealed record MediaCategoryListing(long Id, string Name, int MediaCount);

/// <summary>
/// The current application's media categories. Names are trimmed, 1–60 characters and unique within the application
/// ignoring case and look-alike forms (<see cref="TextRules.NameKey"/>); deleting a category leaves its media
/// uncategorised (the foreign key sets their category to null).
/// </summary>
public sealed class MediaCategories(ApplicationData data, RoleContext roles, AccessPolicy access, AuditLog audit)
{
    /// <summary>Every category, by name ignoring case.</summary>
    public async Task<IReadOnlyList<MediaCategoryListing>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await data.OpenAsync(ct);
        var categories = await db.MediaCategories.AsNoTracking()
            .Select(c => new MediaCategoryListing(c.Id, c.Name, db.Media.Count(m => m.CategoryId == c.Id)))
            .ToListAsync(ct);
        // Sorted here: SQLite orders text by bytes, which puts every capital before any small letter.
        return [.. categories.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<MediaCategory> CreateAsync(string? name, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var validName = ValidName(name);
        await using var db = await data.OpenAsync(ct);
        // The duplicate check and the insert in one transaction, so two operators cannot both add the same name.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await CheckUniqueAsync(db, validName, null, ct);
        var category = new MediaCategory { ApplicationId = roles.CurrentApplicationId, Name = validName };
        db.MediaCategories.Add(category);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.CategoryCreated, category.ApplicationId, AuditTargets.Category(category.Id, category.Name),
            null, new { category.Name }, ct);
        return category;
    }

    public async Task<MediaCategory> RenameAsync(long id, string? name, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        var validName = ValidName(name);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var category = await db.MediaCategories.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();
        await CheckUniqueAsync(db, validName, id, ct);
        var before = new { category.Name };
        category.Name = validName;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.CategoryRenamed, category.ApplicationId, AuditTargets.Category(id, validName),
            before, new { category.Name }, ct);
        return category;
    }

    /// <summary>Deletes a category; its media become uncategorised. Returns how many media items that was.</summary>
    public async Task<int> DeleteAsync(long id, CancellationToken ct = default)
    {
        await access.RequireWriteAsync(ct);
        await using var db = await data.OpenAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var category = await db.MediaCategories.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();
        var affected = await db.Media.CountAsync(m => m.CategoryId == id, ct);
        db.MediaCategories.Remove(category);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(AuditActions.CategoryDeleted, category.ApplicationId, AuditTargets.Category(id, category.Name),
            new { category.Name, MediaCount = affected }, null, ct);
        return affected;
    }

    /// <summary>Returns the trimmed name, or throws with a message for the operator.</summary>
    public static string ValidName(string? name) =>
        TextRules.Required(name, MediaCategory.NameMaxLength, "Enter a name for the category.", "name", nameof(MediaCategory.Name));

    /// <summary>
    /// Compared in memory by <see cref="TextRules.NameKey"/>: an application has few categories, and SQLite's own case
    /// folding knows only ASCII letters.
    /// </summary>
    private static async Task CheckUniqueAsync(VodDbContext db, string name, long? exceptId, CancellationToken ct)
    {
        var names = await db.MediaCategories.Where(c => c.Id != exceptId).Select(c => c.Name).ToListAsync(ct);
        var key = TextRules.NameKey(name);
        if (names.FirstOrDefault(existing => TextRules.NameKey(existing) == key) is { } existing)
        {
            throw new DomainRuleException(
                $"A category named \"{existing}\" already exists. Names must be unique (ignoring upper and lower case and look-alike forms).",
                nameof(MediaCategory.Name));
        }
    }

    private static DomainRuleException NotFound() => new("Not found: this category does not exist.");
}
