using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;

namespace VodConsole.Core.Roles;

/// <summary>
/// Publishes on the <see cref="IChangeFeed"/> every committed save that changes what a user may see. An interceptor
/// rather than a call in each service: every path that saves these rows — the console's services, Identity's user
/// manager, the shell's <c>reset-password</c>, a service added tomorrow — is covered without remembering to. It reads the
/// change tracker before the save, and publishes after the commit: at once for a save that committed by itself, at the
/// commit for a save inside an explicit transaction, never for one that failed or was rolled back.
/// Bulk <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> bypass it; none touches these rows (the remembered last role is one,
/// and shows nothing).
/// </summary>
public sealed class ChangeFeedRecorder(IChangeFeed feed) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>User columns a tab shows or a session depends on; sign-in counters and the last role are left out.</summary>
    private static readonly string[] UserColumns =
        [nameof(ConsoleUser.UserName), nameof(ConsoleUser.SecurityStamp), nameof(ConsoleUser.IsOwner), nameof(ConsoleUser.IsAdministrator)];

    private static readonly string[] AccountColumns =
        [nameof(Account.SubApplicationsEnabled), nameof(Account.ServiceStatus), nameof(Account.BillingMode)];

    /// <summary>Per context: the changes of the save under way, and those saved but waiting for their transaction's commit.</summary>
    private readonly ConditionalWeakTable<DbContext, Pending> pending = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SavedAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await SavedAsync(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, committedOnly: false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, committedOnly: false);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        PublishCommittedAsync(eventData.Context).GetAwaiter().GetResult();

    Task IDbTransactionInterceptor.TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken) =>
        PublishCommittedAsync(eventData.Context);

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Forget(eventData.Context, committedOnly: true);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Forget(eventData.Context, committedOnly: true);
        return Task.CompletedTask;
    }

    /// <summary>What this save changes, read before it runs (afterwards deleted rows are detached and originals gone).</summary>
    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var changes = context.ChangeTracker.Entries().Select(Announcement).OfType<ConsoleChange>().ToHashSet();
        if (changes.Count > 0)
        {
            pending.GetOrCreateValue(context).Saving.UnionWith(changes);
        }
    }

    private static ConsoleChange? Announcement(EntityEntry entry) => (entry.Entity, entry.State) switch
    {
        (_, EntityState.Unchanged or EntityState.Detached) => null,
        (ApplicationGrant grant, _) => ConsoleChange.ForUser(grant.UserId),
        (ViewAsSession session, _) => ConsoleChange.ForUser(session.AdministratorId), // what the administrator's tab shows
        (Application, _) => ConsoleChange.Account,
        (Account, EntityState.Modified) when Changed(entry, AccountColumns) => ConsoleChange.Account,
        (ConsoleUser user, EntityState.Deleted) => ConsoleChange.ForUser(user.Id),
        (ConsoleUser user, EntityState.Modified) when Changed(entry, UserColumns) => ConsoleChange.ForUser(user.Id),
        _ => null, // a new user or account has no open tab yet
    };

    private static bool Changed(EntityEntry entry, string[] columns) =>
        columns.Any(column => entry.Property(column) is { IsModified: true } property
            && !Equals(property.OriginalValue, property.CurrentValue));

    private async Task SavedAsync(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var waiting) || waiting.Saving.Count == 0)
        {
            return;
        }
        waiting.Committing.UnionWith(waiting.Saving);
        waiting.Saving.Clear();
        if (context.Database.CurrentTransaction is null)
        {
            await PublishCommittedAsync(context); // the save committed its own transaction
        }
    }

    private async Task PublishCommittedAsync(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var waiting) || waiting.Committing.Count == 0)
        {
            return;
        }
        var changes = waiting.Committing.ToList();
        waiting.Committing.Clear();
        foreach (var change in changes)
        {
            // Not the caller's token: the change is committed, and its announcement must not be cut short with it.
            await feed.PublishAsync(change, CancellationToken.None);
        }
    }

    private void Forget(DbContext? context, bool committedOnly)
    {
        if (context is not null && pending.TryGetValue(context, out var waiting))
        {
            waiting.Committing.Clear();
            if (!committedOnly)
            {
                waiting.Saving.Clear();
            }
        }
    }

    private sealed class Pending
    {
        public HashSet<ConsoleChange> Saving { get; } = [];
        public HashSet<ConsoleChange> Committing { get; } = [];
    }
}
