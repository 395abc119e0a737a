using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Access;

/// <summary>
/// "View as" (issue 16, item 4; decision 0020): an administrator sees exactly the viewed user's console and can change
/// nothing — refused by the services and below them — and the view is audited, naming both, and ends by itself.
/// </summary>
public sealed class ViewAsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TestClock clock = new(Start);
    private TestConsole console = null!;
    private string ownerId = "";
    private string adminId = "";
    private string aliceId = "";
    private Application a = null!;
    private Application b = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    /// <summary>Alice has Full on A and nothing on B; the administrator starts viewing as her.</summary>
    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        ownerId = await console.EnableSubApplicationsAsync();
        a = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        b = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer B", null);
        adminId = await console.AddUserAsync("admin@vod.test", isAdministrator: true);
        aliceId = await console.AddUserAsync("alice@vod.test", password: "Alice-Passw0rd!");
        await (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>()
            .SetAccessAsync(aliceId, false, new Dictionary<long, ApplicationAccess> { [a.Id] = ApplicationAccess.Full });
        await (await console.AsUserAsync(adminId)).GetRequiredService<ViewAsService>().StartAsync(aliceId);
    }

    private async Task<RoleCatalog> CatalogOfAsync(string userId) =>
        (await console.AsUserAsync(userId)).GetRequiredService<RoleContext>().Catalog!;

    [Fact]
    public async Task The_administrator_sees_only_the_viewed_users_applications_and_she_sees_her_own()
    {
        await StartAsync();

        var viewing = await CatalogOfAsync(adminId);
        Assert.Equal((aliceId, "alice@vod.test"), (viewing.UserId, viewing.UserName));
        Assert.Equal(new ViewAsMark(adminId, "admin@vod.test", Start.UtcDateTime + ViewAsService.TimeLimit), viewing.ViewAs);
        var role = Assert.Single(viewing.Roles);
        Assert.Equal((a.Id, true), (role.ApplicationId, role.CanWrite));
        var policy = (await console.AsUserAsync(adminId)).GetRequiredService<AccessPolicy>();
        Assert.False(await policy.MayReadAsync(b.Id));
        Assert.Null((await CatalogOfAsync(aliceId)).ViewAs); // her own sessions are not affected
    }

    [Fact]
    public async Task Every_change_is_refused_in_the_services_and_below_them_with_the_view_as_message()
    {
        await StartAsync();
        var tab = await console.AsUserAsync(adminId, a.Id);
        var message = AccessPolicy.ViewAsMessage("alice@vod.test");

        Assert.Equal(message, (await Assert.ThrowsAsync<AccessDeniedException>(() => tab.GetRequiredService<MediaCategories>().CreateAsync("Nope"))).Message);
        Assert.Equal(message, (await Assert.ThrowsAsync<AccessDeniedException>(() => tab.GetRequiredService<ViewAsService>().StartAsync(aliceId))).Message);
        // Below the services: a context opened for the view refuses to save whatever a service forgot to check.
        await using (var db = await tab.GetRequiredService<ApplicationData>().OpenAsync())
        {
            db.MediaCategories.Add(new MediaCategory { ApplicationId = a.Id, Name = "Sneaked" });
            Assert.Equal(message, (await Assert.ThrowsAsync<AccessDeniedException>(() => db.SaveChangesAsync())).Message);
        }
        Assert.Empty(await tab.GetRequiredService<MediaCategories>().ListAsync()); // reading works, as for her
    }

    [Fact]
    public async Task Start_and_stop_are_audited_naming_both_and_stopping_returns_the_administrators_console()
    {
        await StartAsync();

        await (await console.AsUserAsync(adminId)).GetRequiredService<ViewAsService>().StopAsync();

        Assert.Null((await CatalogOfAsync(adminId)).ViewAs);
        var entries = await console.Get<AuditLog>().AllAsync(new AuditQuery()).ToListAsync();
        var started = entries.Single(e => e.Action == AuditActions.ViewAsStarted);
        var stopped = entries.Single(e => e.Action == AuditActions.ViewAsStopped);
        Assert.Equal(("admin@vod.test", "User alice@vod.test", adminId), (started.Actor, started.Target, started.UserId));
        Assert.Contains("\"Administrator\":\"admin@vod.test\"", started.After);
        Assert.Equal(("admin@vod.test (viewing as alice@vod.test)", "User alice@vod.test", adminId), (stopped.Actor, stopped.Target, stopped.UserId));
    }

    [Fact]
    public async Task The_view_ends_after_its_time_limit_and_the_lapse_records_it()
    {
        await StartAsync();
        Assert.Equal(Start.UtcDateTime + ViewAsService.TimeLimit, await console.Get<AccessLapses>().NextDueAsync());

        clock.Now = Start + ViewAsService.TimeLimit;

        Assert.Null((await CatalogOfAsync(adminId)).ViewAs); // over at once, before any cleanup
        Assert.Equal(1, await console.Get<AccessLapses>().LapseDueAsync());
        var ended = Assert.Single(await console.Get<AuditLog>().AllAsync(new AuditQuery(Action: AuditActions.ViewAsEnded)).ToListAsync());
        Assert.Contains("The time limit was reached.", ended.After);
        Assert.Contains("admin@vod.test", ended.After);
        await using var db = await console.OpenDbAsync();
        Assert.False(await db.ViewAsSessions.AnyAsync());
    }

    [Fact]
    public async Task The_view_ends_when_the_administrator_loses_administrator_rights()
    {
        await StartAsync();

        await (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>()
            .SetAccessAsync(adminId, false, new Dictionary<long, ApplicationAccess>());

        var own = await CatalogOfAsync(adminId);
        Assert.Equal((adminId, null), (own.UserId, own.ViewAs));
        Assert.Equal(1, await console.Get<AccessLapses>().LapseDueAsync());
    }

    [Fact]
    public async Task Administrators_the_owner_and_oneself_cannot_be_viewed()
    {
        await StartAsync();
        var owner = (await console.AsUserAsync(ownerId)).GetRequiredService<ViewAsService>();

        Assert.Equal(ViewAsService.AdministratorTargetMessage, (await Assert.ThrowsAsync<DomainRuleException>(() => owner.StartAsync(adminId))).Message);
        Assert.Equal(ViewAsService.SelfMessage, (await Assert.ThrowsAsync<DomainRuleException>(() => owner.StartAsync(ownerId))).Message);
        await (await console.AsUserAsync(adminId)).GetRequiredService<ViewAsService>().StopAsync();
        var admin = (await console.AsUserAsync(adminId)).GetRequiredService<ViewAsService>();
        Assert.Equal(ViewAsService.AdministratorTargetMessage, (await Assert.ThrowsAsync<DomainRuleException>(() => admin.StartAsync(ownerId))).Message);
    }
}
