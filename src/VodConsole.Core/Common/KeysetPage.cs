using Microsoft.EntityFrameworkCore;

namespace VodConsole.Core.Common;

/// <summary>Keyset paging (never OFFSET): read one row more than the page to know whether another page follows.</summary>
public static class KeysetPage
{
    /// <summary>Up to <paramref name="size"/> rows of an already filtered and ordered query, and whether more follow.</summary>
    public static async Task<(List<T> Rows, bool HasMore)> TakePageAsync<T>(this IQueryable<T> ordered, int size, CancellationToken ct)
    {
        var rows = await ordered.Take(size + 1).ToListAsync(ct);
        var hasMore = rows.Count > size;
        if (hasMore)
        {
            rows.RemoveAt(size);
        }
        return (rows, hasMore);
    }
}
