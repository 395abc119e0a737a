using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VodConsole.Core.Data;

namespace VodConsole.Core.Instances;

/// <summary>
/// How an instance picks the job it claims among the claimable ones: each engine its own way (decision 0017).
/// <see cref="JobLeases"/> gives the candidates (in order) and the claim itself (one conditional update, fenced by the
/// attempt number, on the same context); the engine decides how instances claiming at once keep out of each other's way.
/// </summary>
public interface IJobClaimQuery
{
    /// <summary>
    /// Runs <paramref name="claim"/> on the first of <paramref name="candidates"/> (a query on <paramref name="db"/>) until
    /// one claim succeeds, and returns that candidate as read before its claim; null when no candidate is left.
    /// </summary>
    Task<T?> ClaimFirstAsync<T>(VodDbContext db, IQueryable<T> candidates, Func<T, Task<bool>> claim, CancellationToken ct) where T : class;
}

/// <summary>
/// SQLite: one writer at a time, so reading the first candidate and updating it only if it is unchanged is enough; of
/// claimers that read the same row, the one whose update comes second changes nothing and looks again.
/// </summary>
public sealed class SqliteJobClaimQuery : IJobClaimQuery
{
    public async Task<T?> ClaimFirstAsync<T>(VodDbContext db, IQueryable<T> candidates, Func<T, Task<bool>> claim, CancellationToken ct)
        where T : class
    {
        while (await candidates.FirstOrDefaultAsync(ct) is { } first)
        {
            if (await claim(first))
            {
                return first;
            }
        }
        return null;
    }
}

/// <summary>
/// PostgreSQL: the first candidate is read with <c>FOR UPDATE SKIP LOCKED</c> inside the claim's transaction, so the row
/// stays locked until the claim commits and claimers running at once each get a different row, none waiting on another's
/// lock or losing its update to it. The conditional update still decides (as on SQLite), so the attempt fencing is the
/// same on both engines.
/// </summary>
public sealed class PostgresJobClaimQuery : IJobClaimQuery
{
    /// <summary>The query tag <see cref="SkipLockedInterceptor"/> recognises (EF Core has no LINQ for row locks).</summary>
    internal const string Tag = "vodconsole: claim, skip locked rows";

    /// <summary>Add to PostgreSQL contexts: turns the tagged claim query into a locking one.</summary>
    public static IInterceptor Interceptor { get; } = new SkipLockedInterceptor();

    public async Task<T?> ClaimFirstAsync<T>(VodDbContext db, IQueryable<T> candidates, Func<T, Task<bool>> claim, CancellationToken ct)
        where T : class
    {
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var first = await candidates.TagWith(Tag).FirstOrDefaultAsync(ct);
            var claimed = first is not null && await claim(first);
            await transaction.CommitAsync(ct);
            if (first is null || claimed)
            {
                return first;
            }
        }
    }

    /// <summary>Appends <c>FOR UPDATE SKIP LOCKED</c> to the tagged query (a single-table select ending in its LIMIT).</summary>
    private sealed class SkipLockedInterceptor : DbCommandInterceptor
    {
        private static readonly string Marker = $"-- {Tag}";

        public override InterceptionResult<DbDataReader> ReaderExecuting(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Lock(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Lock(command);
            return ValueTask.FromResult(result);
        }

        private static void Lock(DbCommand command)
        {
            if (command.CommandText.StartsWith(Marker, StringComparison.Ordinal))
            {
                command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\nFOR UPDATE SKIP LOCKED";
            }
        }
    }
}
