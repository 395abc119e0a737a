using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Callbacks;

/// <summary>
/// Keeps the delivery log and the pull queues from growing for ever: events recorded more than
/// <see cref="CallbackOptions.RetentionDays"/> ago are removed with their attempts, except push events still being
/// retried (their schedule ends within hours; they go once finished). System work, run periodically.
/// </summary>
public sealed class CallbackRetention(ApplicationData data, AccessPolicy access, IOptions<CallbackOptions> options, TimeProvider clock)
{
    /// <summary>Rows removed per statement, so a first prune after a long time never holds the database for long.</summary>
    private const int Batch = 1000;

    /// <returns>How many events were removed.</returns>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var days = options.Value.RetentionDays;
        if (days < 1)
        {
            throw new InvalidOperationException($"{CallbackOptions.Section}:{nameof(CallbackOptions.RetentionDays)} must be at least 1; it is {days}.");
        }
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        // System-wide on purpose: retention is the same rule for every application and removes only what it names.
        await using var db = await data.OpenSystemWideAsync(ct);
        var expired = db.CallbackEvents.Where(e => e.CreatedAt < cutoff
            && !(e.Delivery == CallbackMode.Push && (e.State == CallbackEventState.Pending || e.State == CallbackEventState.Retrying)));
        var removed = 0;
        while (true)
        {
            var ids = await expired.OrderBy(e => e.CreatedAt).Select(e => e.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return removed;
            }
            // Attempts first, in the same transaction: the cascade is declared too, but this does not depend on it.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.CallbackAttempts.Where(a => ids.Contains(a.EventId)).ExecuteDeleteAsync(ct);
            removed += await db.CallbackEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
    }
}
