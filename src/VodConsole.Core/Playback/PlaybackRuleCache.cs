using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Playback;

/// <summary>
/// The playback gate's decisions of the last moment (<see cref="Lifetime"/>), by application, media item and output. A
/// player sends a range request every few seconds per viewer, and the database read behind each decision was most of
/// the endpoint's cost (docs/performance.md, decision 0021). A decision is forgotten at once when this process commits a
/// change to what it depends on (<see cref="PlaybackRuleInvalidator"/>), and on every instance when the change feed
/// announces an application or account change (disabling one, suspending the service); a change to an item or to the
/// signing settings made on another instance reaches this one within <see cref="Lifetime"/>.
/// </summary>
public sealed class PlaybackRuleCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    // Bounds the memory a flood of made-up IDs could take: past it, everything is forgotten and refilled.
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(long Application, long Media, long? Job), Entry> entries = new();
    private readonly TimeProvider clock;
    private readonly IDisposable subscription;
    private long generation;

    public PlaybackRuleCache(IChangeFeed changes, TimeProvider clock)
    {
        this.clock = clock;
        subscription = changes.Subscribe(_ => Clear());
    }

    /// <summary>Read before the database: a decision read before a <see cref="Clear"/> is never kept after it.</summary>
    public long Generation => Volatile.Read(ref generation);

    public bool TryGet((long, long, long?) key, out PlaybackPass pass)
    {
        if (entries.TryGetValue(key, out var entry) && entry.Generation == Generation && entry.Until > clock.GetUtcNow())
        {
            pass = entry.Pass;
            return true;
        }
        pass = PlaybackPass.NotFound;
        return false;
    }

    public void Keep((long, long, long?) key, PlaybackPass pass, long generationRead)
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
        // A Clear after the check leaves an entry of an older generation, which TryGet does not return.
        if (generationRead == Generation)
        {
            entries[key] = new Entry(pass, generationRead, clock.GetUtcNow() + Lifetime);
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    public void Dispose() => subscription.Dispose();

    private sealed record Entry(PlaybackPass Pass, long Generation, DateTimeOffset Until);
}

/// <summary>
/// Clears the <see cref="PlaybackRuleCache"/> when a save changes what a playback decision depends on: applications, the
/// account, media items, playback settings, transcoding jobs. Once when the save ends and again when its transaction
/// commits, so a decision read from the old rows in between is not kept either.
/// </summary>
public sealed class PlaybackRuleInvalidator(PlaybackRuleCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> touched = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    void IDbTransactionInterceptor.TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(
        System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && e.Entity is Application or Account or MediaItem or PlaybackSettings or TranscodeJob))
        {
            touched.AddOrUpdate(context, this);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && touched.TryGetValue(context, out _))
        {
            cache.Clear();
            if (context.Database.CurrentTransaction is null)
            {
                touched.Remove(context);
            }
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && touched.Remove(context))
        {
            cache.Clear();
        }
    }
}
