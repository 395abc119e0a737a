using Microsoft.Extensions.Logging;

namespace VodConsole.Core.Roles;

/// <summary>
/// Keeps an open tab's catalog current without polling: it sleeps until the <see cref="IChangeFeed"/> announces a change
/// that concerns the tab's user, then reloads the catalog (one navigation's queries) and reports it when it differs from
/// what the tab shows. Changes that arrive during a reload are taken by one more reload, never lost and never queued
/// up one by one. It looks once as it starts, so a change committed between the tab's first load and its subscription
/// is not lost; then only when told, and at a slow safety-net check (<see cref="IChangeFeed.SafetyNetInterval"/>) for a
/// change no one announced.
/// </summary>
public sealed class RoleCatalogWatch(IChangeFeed feed, RoleResolver resolver, ILogger<RoleCatalogWatch> logger)
{
    /// <summary>
    /// Subscribes and looks once; returns when that first look is done, with the watch going on (the returned task)
    /// until <paramref name="ct"/> is cancelled (the tab closed). <paramref name="shown"/> is the catalog the tab shows now
    /// (null: nothing to watch yet); <paramref name="changed"/> is called when a fresh one differs from it.
    /// </summary>
    public async Task<Task> StartAsync(Func<RoleCatalog?> shown, Func<Task> changed, CancellationToken ct)
    {
        var wake = new SemaphoreSlim(0, 1);
        var subscription = feed.Subscribe(change =>
        {
            if (shown() is { } catalog && catalog.ConcernedBy(change) && wake.CurrentCount == 0)
            {
                try
                {
                    wake.Release(); // one pending wake-up takes every change announced before the reload starts
                }
                catch (SemaphoreFullException)
                {
                }
            }
        });
        await LookAsync(shown, changed, ct);
        return WatchAsync(subscription, wake, shown, changed, ct);
    }

    private async Task WatchAsync(IDisposable subscription, SemaphoreSlim wake, Func<RoleCatalog?> shown, Func<Task> changed, CancellationToken ct)
    {
        using (subscription)
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await wake.WaitAsync(IChangeFeed.SafetyNetInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                await LookAsync(shown, changed, ct);
            }
        }
    }

    private async Task LookAsync(Func<RoleCatalog?> shown, Func<Task> changed, CancellationToken ct)
    {
        try
        {
            if (shown() is { } catalog && !catalog.OffersTheSameAs(await resolver.LoadCatalogAsync(catalog.SignedInUserId, ct)))
            {
                await changed();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException disposed) when (disposed.ObjectName == nameof(IServiceProvider))
        {
            // The server is stopping and its services are gone: the tab's circuit ends with it.
        }
        catch (Exception error)
        {
            // A database hiccup must not leave the tab deaf: the next change (or the safety net) tries again.
            logger.LogWarning(error, "Could not reload this tab's roles; they refresh at the next change or navigation.");
        }
    }
}
