using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media;

/// <summary>The media items a bulk action works on: a bounded number, every one of them in the context's application.</summary>
public static class MediaSelection
{
    public const int MaxItems = 20;

    /// <summary>
    /// Loads the items for change, or refuses the whole action: an ID that is missing, or belongs to another application
    /// (the context cannot see it), is "not found", and nothing is changed.
    /// </summary>
    internal static async Task<List<MediaItem>> LoadAsync(VodDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            throw new DomainRuleException("Select at least one media item.");
        }
        if (distinct.Count > MaxItems)
        {
            throw new DomainRuleException($"Select at most {MaxItems} media items for one action; {distinct.Count} are selected.");
        }
        var items = await db.Media.Where(m => distinct.Contains(m.Id)).ToListAsync(ct);
        if (items.Count != distinct.Count)
        {
            var missing = distinct.Count - items.Count;
            throw new ResourceNotFoundException("Media", missing == 1
                ? "Not found: one of the selected media items does not exist in this application. Nothing was changed."
                : $"Not found: {missing} of the selected media items do not exist in this application. Nothing was changed.");
        }
        return items;
    }
}
