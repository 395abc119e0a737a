using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Access;

/// <summary>
/// Time-limited access (issue 16, item 4): a grant counts until its expiry instant and not a moment longer, an expiry in
/// the past is refused, and the lapse removes an expired grant exactly once — announced to open tabs and audited once —
/// however many workers race for it.
/// </summary>
public sealed class GrantExpiryTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TestClock clock = new(Start);
    private TestConsole console = null!;
    private string ownerId = "";
    private string userId = "";
    private Application sub = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock)
            .AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider())); // API keys' secrets
        ownerId = await console.EnableSubApplicationsAsync();
        sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        userId = await console.AddUserAsync("temp@vod.test", password: "Temp-Passw0rd!");
    }

    private async Task<UserAccessService> UsersAsync() => (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>();

    private async Task GrantAsync(ApplicationAccess access, DateTime? expiresAt) =>
        await (await UsersAsync()).SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = access },
            expiresAt is { } at ? new Dictionary<long, DateTime> { [sub.Id] = at } : null);

    [Fact]
    public async Task An_expired_grant_grants_nothing_from_its_expiry_instant_on_even_before_the_lapse()
    {
        await StartAsync();
        var expiry = Start.UtcDateTime.AddHours(8);
        await GrantAsync(ApplicationAccess.Full, expiry);
        var policy = console.Get<AccessPolicy>();

        clock.Now = Start.AddHours(8).AddTicks(-TimeSpan.TicksPerSecond);
        Assert.True(await policy.CanWriteAsync(userId, sub.Id));
        Assert.Contains((await console.AsUserAsync(userId)).GetRequiredService<RoleContext>().Catalog!.Roles, r => r.ApplicationId == sub.Id);

        clock.Now = Start.AddHours(8); // the instant itself: over
        Assert.False(await policy.CanWriteAsync(userId, sub.Id));
        Assert.False(await policy.CanReadAsync(userId, sub.Id));
        var scope = await console.AsUserAsync(userId);
        Assert.DoesNotContain(scope.GetRequiredService<RoleContext>().Catalog!.Roles, r => r.ApplicationId == sub.Id);
        Assert.Empty((await (await UsersAsync()).ListAsync()).Single(u => u.Id == userId).Grants);
        await using var db = await console.OpenDbAsync();
        Assert.Equal(1, await db.ApplicationGrants.CountAsync(g => g.UserId == userId)); // still there: nothing removed it yet
    }

    [Fact]
    public async Task A_changing_operation_in_an_open_tab_is_refused_at_the_expiry_instant()
    {
        await StartAsync();
        await GrantAsync(ApplicationAccess.Full, Start.UtcDateTime.AddMinutes(10));
        var tab = await console.AsUserAsync(userId, sub.Id); // loaded while the grant counted

        await tab.GetRequiredService<MediaCategories>().CreateAsync("Before");
        clock.Now = Start.AddMinutes(10);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => tab.GetRequiredService<MediaCategories>().CreateAsync("After"));
        Assert.Equal(AccessPolicy.ReadOnlyMessage, refused.Message);
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused_with_a_clear_message_and_nothing_is_saved()
    {
        await StartAsync();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => GrantAsync(ApplicationAccess.ReadOnly, Start.UtcDateTime.AddMinutes(-1)));
        var now = await Assert.ThrowsAsync<DomainRuleException>(() => GrantAsync(ApplicationAccess.ReadOnly, Start.UtcDateTime));

        Assert.Equal("The expiry 2026-03-02 08:59 UTC is already past: choose a time in the future, or no expiry.", refused.Message);
        Assert.Contains("already past", now.Message);
        await using var db = await console.OpenDbAsync();
        Assert.False(await db.ApplicationGrants.AnyAsync(g => g.UserId == userId));
    }

    [Fact]
    public async Task An_expiry_without_a_grant_is_refused()
    {
        await StartAsync();

        var users = await UsersAsync();
        await Assert.ThrowsAsync<DomainRuleException>(() => users.SetAccessAsync(userId, false,
            new Dictionary<long, ApplicationAccess>(), new Dictionary<long, DateTime> { [sub.Id] = Start.UtcDateTime.AddHours(1) }));
    }

    [Fact]
    public async Task The_audit_log_shows_the_expiry_in_the_grant_change()
    {
        await StartAsync();
        await GrantAsync(ApplicationAccess.ReadOnly, Start.UtcDateTime.AddHours(8));

        var entries = await console.Get<AuditLog>().AllAsync(new AuditQuery()).ToListAsync();
        var changed = entries.Single(e => e.Action == AuditActions.AccessChanged);
        Assert.Equal($"{{\"IsAdministrator\":false,\"Grants\":{{\"{sub.Id}\":\"ReadOnly\"}},\"ExpiresAt\":{{\"{sub.Id}\":\"2026-03-02T17:00:00Z\"}}}}", changed.After);
        var onApplication = entries.Single(e => e.Action == AuditActions.ApplicationAccessChanged);
        Assert.Equal("{\"Access\":\"ReadOnly until 2026-03-02 17:00:00 UTC\"}", onApplication.After);
    }

    [Fact]
    public async Task The_lapse_removes_an_expired_grant_once_audits_once_and_announces_the_user()
    {
        await StartAsync();
        await GrantAsync(ApplicationAccess.Full, Start.UtcDateTime.AddSeconds(10));
        var announced = new ConcurrentQueue<ConsoleChange>();
        console.Get<IChangeFeed>().Subscribe(announced.Enqueue);

        Assert.Equal(0, await console.Get<AccessLapses>().LapseDueAsync()); // not yet
        Assert.Equal(Start.UtcDateTime.AddSeconds(10), await console.Get<AccessLapses>().NextDueAsync());
        clock.Now = Start.AddSeconds(10);
        Assert.Equal(1, await console.Get<AccessLapses>().LapseDueAsync());
        Assert.Equal(0, await console.Get<AccessLapses>().LapseDueAsync());

        await using var db = await console.OpenDbAsync();
        Assert.False(await db.ApplicationGrants.AnyAsync(g => g.UserId == userId));
        Assert.Contains(ConsoleChange.ForUser(userId), announced);
        var lapse = Assert.Single(await console.Get<AuditLog>().AllAsync(new AuditQuery(Action: AuditActions.AccessLapsed)).ToListAsync());
        Assert.Equal((AuditLog.SystemActor, sub.Id, "User temp@vod.test"), (lapse.Actor, lapse.ApplicationId, lapse.Target));
        Assert.Contains("\"Access\":\"Full\"", lapse.Before);
        Assert.Null(await console.Get<AccessLapses>().NextDueAsync());
    }

    [Fact]
    public async Task Two_workers_racing_remove_each_grant_once_and_audit_once()
    {
        await StartAsync();
        var others = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var other = await console.AddUserAsync($"racer-{i}@vod.test", password: "Racer-Passw0rd!");
            await (await UsersAsync()).SetAccessAsync(other, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.ReadOnly },
                new Dictionary<long, DateTime> { [sub.Id] = Start.UtcDateTime.AddMinutes(1) });
            others.Add(other);
        }
        await using var second = await console.StartAnotherAsync(services => services.AddSingleton<TimeProvider>(clock));
        clock.Now = Start.AddMinutes(1);

        var ended = await Task.WhenAll(
            Task.Run(() => console.Get<AccessLapses>().LapseDueAsync()),
            Task.Run(() => second.Get<AccessLapses>().LapseDueAsync()));

        Assert.Equal(others.Count, ended.Sum());
        await using var db = await console.OpenDbAsync();
        Assert.False(await db.ApplicationGrants.AnyAsync());
        var lapses = await console.Get<AuditLog>().AllAsync(new AuditQuery(Action: AuditActions.AccessLapsed)).ToListAsync();
        Assert.Equal(others.Count, lapses.Count);
        Assert.Equal(others.Count, lapses.Select(l => l.Target).Distinct().Count());
    }

    [Fact]
    public async Task A_key_that_follows_the_user_stops_at_the_expiry_and_is_disabled_by_the_lapse()
    {
        await StartAsync();
        await GrantAsync(ApplicationAccess.Full, Start.UtcDateTime.AddHours(1));
        var keys = (await console.AsUserAsync(userId, sub.Id)).GetRequiredService<VodConsole.Core.Api.ApiKeyService>();
        var created = await keys.CreateAsync("Temp key", ApplicationAccess.Full);
        await using (var db = await console.OpenDbAsync())
        {
            var key = await db.ApiKeys.SingleAsync(k => k.KeyId == created.Key.KeyId);
            var caller = new VodConsole.Core.Api.ApiKeyCaller(key.Id, key.KeyId, key.Name, key.ApplicationId, key.Access);
            var scope = console.NewScope();
            var catalog = await scope.GetRequiredService<VodConsole.Core.Api.ApiKeyRoles>().LoadCatalogAsync(caller);
            scope.GetRequiredService<RoleContext>().EnterApi(caller, catalog, catalog.Resolve(new RoleRoute(RoleRouteKind.Application, sub.Id)));
            var policy = scope.GetRequiredService<AccessPolicy>();
            Assert.True(await policy.MayWriteAsync(sub.Id));
            clock.Now = Start.AddHours(1);
            Assert.False(await policy.MayReadAsync(sub.Id));
        }

        await console.Get<AccessLapses>().LapseDueAsync();

        await using var after = await console.OpenDbAsync();
        Assert.False((await after.ApiKeys.SingleAsync(k => k.KeyId == created.Key.KeyId)).IsEnabled);
    }
}
