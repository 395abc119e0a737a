using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Network;
using VodConsole.Web.Callbacks;

namespace VodConsole.Tests.Callbacks;

/// <summary>
/// What callback tests share: a console with fast retries (so a whole retry schedule runs in well under a second),
/// loopback receivers allowed unless a test says otherwise, the delivery worker on demand, and waiting for the database
/// to reach a state instead of sleeping.
/// </summary>
public static class CallbackTestConsole
{
    public static readonly TimeSpan[] FastRetries = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)];

    /// <summary>One key ring for a console and its restarts, so a key saved before a restart still decrypts after it.</summary>
    public static Action<IServiceCollection> Services(
        IDataProtectionProvider? keys = null, bool allowPrivateTargets = true, TimeSpan? timeout = null, TimeSpan[]? retries = null) => services =>
    {
        services.AddSingleton(keys ?? new EphemeralDataProtectionProvider());
        services.Configure<NetworkOptions>(o => o.AllowPrivateTargets = allowPrivateTargets);
        services.Configure<CallbackOptions>(o =>
        {
            o.RetryDelays = retries ?? FastRetries;
            o.Timeout = timeout ?? TimeSpan.FromSeconds(5);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
    };

    public static async Task<long> CreateApplicationAsync(this TestConsole console, string name)
    {
        await console.EnableSubApplicationsAsync();
        return (await console.Get<ApplicationService>().CreateSubApplicationAsync(name, null)).Id;
    }

    /// <summary>Saves the application's callback settings as an Administrator on its page would.</summary>
    public static async Task<CallbackConfiguration> ConfigureCallbacksAsync(
        this TestConsole console, long app, CallbackMode mode, string? url = null, params CallbackEventType[] types)
    {
        var settings = (await console.InApplicationAsync(app)).GetRequiredService<CallbackSettingsService>();
        var version = (await settings.GetAsync()).Version;
        return await settings.SaveAsync(new CallbackSettingsEdit(mode, url, types.Length > 0 ? types : CallbackSubscriptions.Choosable, version));
    }

    public static async Task<T> InAppAsync<T>(this TestConsole console, long app) where T : notnull =>
        (await console.InApplicationAsync(app)).GetRequiredService<T>();

    /// <summary>The delivery worker as the web host runs it, started; stop it by disposing.</summary>
    public static async Task<RunningWorker> StartWorkerAsync(this TestConsole console)
    {
        var worker = new CallbackDeliveryWorker(console.Get<IServiceScopeFactory>(), console.Get<CallbackSignal>(),
            console.Get<IOptions<CallbackOptions>>(), NullLogger<CallbackDeliveryWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        return new RunningWorker(worker);
    }

    public static async Task<List<CallbackEvent>> EventsAsync(this TestConsole console)
    {
        await using var db = await console.Get<ApplicationData>().OpenSystemWideAsync();
        // Oldest first: IDs are random, so the creation time orders them.
        return await db.CallbackEvents.AsNoTracking().OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync();
    }

    public static async Task<List<CallbackAttempt>> AttemptsAsync(this TestConsole console, long eventId)
    {
        await using var db = await console.Get<ApplicationData>().OpenSystemWideAsync();
        return await db.CallbackAttempts.AsNoTracking().Where(a => a.EventId == eventId).OrderBy(a => a.Number).ToListAsync();
    }

    /// <summary>Polls the database until every event is finished (Delivered or Failed), or fails after 20 seconds.</summary>
    public static async Task<List<CallbackEvent>> WaitUntilFinishedAsync(this TestConsole console, int expectedEvents = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var events = await console.EventsAsync();
            if (events.Count >= expectedEvents && events.All(e => e.State is CallbackEventState.Delivered or CallbackEventState.Failed))
            {
                return events;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"Events did not finish: {string.Join(", ", events.Select(e => $"{e.Id} {e.Type} {e.State} after {e.Attempts} attempt(s)"))}");
            await Task.Delay(25);
        }
    }

    public sealed class RunningWorker(CallbackDeliveryWorker worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }
}
