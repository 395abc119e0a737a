using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Web.Callbacks;

namespace VodConsole.Tests.Callbacks;

/// <summary>Callback events and their attempts are kept for <c>Callbacks:RetentionDays</c>, then removed by the periodic worker.</summary>
public sealed class CallbackRetentionTests
{
    private static Action<IServiceCollection> Services(int retentionDays) => services =>
    {
        CallbackTestConsole.Services()(services);
        services.Configure<CallbackOptions>(o => o.RetentionDays = retentionDays);
    };

    [Fact]
    public async Task Events_older_than_the_retention_go_with_their_attempts_except_pushes_still_being_retried()
    {
        await using var console = await TestConsole.StartAsync(Services(retentionDays: 10));
        var a = await console.CreateApplicationAsync("Kept A");
        var b = (await console.Get<VodConsole.Core.Applications.ApplicationService>().CreateSubApplicationAsync("Kept B", null)).Id;
        var now = DateTime.UtcNow;
        var oldDelivered = await AddEventAsync(console, a, now.AddDays(-11), CallbackMode.Push, CallbackEventState.Delivered, attempts: 2);
        var oldFailed = await AddEventAsync(console, b, now.AddDays(-30), CallbackMode.Push, CallbackEventState.Failed, attempts: 6);
        var oldUnreadPull = await AddEventAsync(console, b, now.AddDays(-12), CallbackMode.Pull, CallbackEventState.Pending, attempts: 0);
        var oldRetrying = await AddEventAsync(console, a, now.AddDays(-11), CallbackMode.Push, CallbackEventState.Retrying, attempts: 1);
        var recent = await AddEventAsync(console, a, now.AddDays(-9), CallbackMode.Push, CallbackEventState.Delivered, attempts: 1);

        Assert.Equal(3, await console.Get<CallbackRetention>().PruneAsync());

        var left = await console.EventsAsync();
        Assert.Equal([oldRetrying, recent], left.Select(e => e.Id));
        foreach (var gone in new[] { oldDelivered, oldFailed, oldUnreadPull })
        {
            Assert.Empty(await console.AttemptsAsync(gone));
        }
        Assert.Single(await console.AttemptsAsync(recent));
        Assert.Single(await console.AttemptsAsync(oldRetrying));
        Assert.Equal(0, await console.Get<CallbackRetention>().PruneAsync());
    }

    [Fact]
    public async Task The_periodic_worker_prunes_at_start()
    {
        await using var console = await TestConsole.StartAsync(Services(retentionDays: 30));
        var app = await console.CreateApplicationAsync("Worker");
        await AddEventAsync(console, app, DateTime.UtcNow.AddDays(-31), CallbackMode.Push, CallbackEventState.Delivered, attempts: 1);
        var kept = await AddEventAsync(console, app, DateTime.UtcNow.AddDays(-29), CallbackMode.Push, CallbackEventState.Delivered, attempts: 1);

        using var worker = new CallbackRetentionWorker(console.Get<IServiceScopeFactory>(), TimeProvider.System, NullLogger<CallbackRetentionWorker>.Instance);
        await worker.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await console.EventsAsync()).Count > 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "The worker did not prune within 20 seconds.");
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        Assert.Equal([kept], (await console.EventsAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task A_retention_below_one_day_is_refused_rather_than_removing_everything()
    {
        await using var console = await TestConsole.StartAsync(Services(retentionDays: 0));
        var app = await console.CreateApplicationAsync("Zero");
        await AddEventAsync(console, app, DateTime.UtcNow, CallbackMode.Push, CallbackEventState.Delivered, attempts: 1);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => console.Get<CallbackRetention>().PruneAsync());

        Assert.Contains("Callbacks:RetentionDays must be at least 1", refused.Message);
        Assert.Single(await console.EventsAsync());
    }

    private static async Task<long> AddEventAsync(
        TestConsole console, long app, DateTime createdAt, CallbackMode delivery, CallbackEventState state, int attempts)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var e = new CallbackEvent { ApplicationId = app, Type = CallbackEventType.Test, Delivery = delivery, State = state, CreatedAt = createdAt, Attempts = attempts };
        db.CallbackEvents.Add(e);
        await db.SaveChangesAsync();
        for (var number = 1; number <= attempts; number++)
        {
            db.CallbackAttempts.Add(new CallbackAttempt { ApplicationId = app, EventId = e.Id, Number = number, StartedAt = createdAt, StatusCode = 500 });
        }
        await db.SaveChangesAsync();
        return e.Id;
    }
}
