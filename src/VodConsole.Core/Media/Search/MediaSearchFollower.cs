using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VodConsole.Core.Data;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// Brings the search index up to date after every save of a <see cref="VodDbContext"/>: the database's triggers noted
/// which media rows the save changed, and <see cref="IMediaSearchIndex.CatchUpAsync"/> indexes them. Inside a caller's
/// transaction this happens in that transaction; otherwise right after the commit, and should it not (a crash), the
/// rows stay noted and the next save, search or start indexes them.
/// </summary>
public sealed class MediaSearchFollower(IMediaSearchIndex index) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is VodDbContext db)
        {
            // The console saves asynchronously; a synchronous save (a tool) waits here. SQLite's "async" work is synchronous.
            index.CatchUpAsync(db).GetAwaiter().GetResult();
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is VodDbContext db)
        {
            await index.CatchUpAsync(db, ct);
        }
        return result;
    }
}
