using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Roles;

/// <summary>
/// An open tab follows changes made elsewhere because they are announced, not because it polls (issue 14, item 6):
/// a revoked grant takes the application away, an upgraded one brings its controls, an ended session signs the tab out —
/// and an idle tab makes no database query at all.
/// </summary>
public sealed class TabFollowsChangesTests(ITestOutputHelper output) : IAsyncDisposable
{
    private TestConsole console = null!;
    private string ownerId = "";
    private Application sub = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync();
        ownerId = await console.EnableSubApplicationsAsync();
        sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
    }

    private async Task<string> UserWithAsync(ApplicationAccess access)
    {
        var userId = await console.AddUserAsync($"user-{Guid.NewGuid():N}@vod.test");
        await GrantAsync(userId, access);
        return userId;
    }

    private async Task GrantAsync(string userId, ApplicationAccess? access) =>
        await (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>().SetAccessAsync(userId, false,
            access is { } level ? new Dictionary<long, ApplicationAccess> { [sub.Id] = level } : []);

    private ConsoleRole? RoleIn(OpenTab tab) => tab.Shown?.Resolve(new RoleRoute(RoleRouteKind.Application, sub.Id));

    [Fact]
    public async Task An_upgraded_grant_brings_its_controls_and_a_revoked_one_takes_the_application_away()
    {
        await StartAsync();
        var userId = await UserWithAsync(ApplicationAccess.ReadOnly);
        await using var tab = await OpenTab.OpenAsync(console.NewScope(), userId);
        Assert.False(RoleIn(tab)!.CanWrite);

        await GrantAsync(userId, ApplicationAccess.Full);
        await OpenTab.WaitUntilAsync(() => RoleIn(tab)?.CanWrite == true, OpenTab.Announced, "the upgraded grant to reach the tab");

        await GrantAsync(userId, null);
        await OpenTab.WaitUntilAsync(() => RoleIn(tab) is null, OpenTab.Announced, "the revoked grant to reach the tab (Not found)");
        Assert.True(tab.SignedIn);
    }

    [Fact]
    public async Task A_renamed_application_reaches_every_users_tab()
    {
        await StartAsync();
        await using var owners = await OpenTab.OpenAsync(console.NewScope(), ownerId);
        await using var viewers = await OpenTab.OpenAsync(console.NewScope(), await UserWithAsync(ApplicationAccess.ReadOnly));

        await console.Get<ApplicationService>().UpdateAsync(sub.Id, "Customer A (renamed)", null, sub.Version);

        foreach (var tab in new[] { owners, viewers })
        {
            await OpenTab.WaitUntilAsync(() => RoleIn(tab)?.Name == "Customer A (renamed)", OpenTab.Announced, "the new name to reach the tab");
        }
    }

    [Fact]
    public async Task A_reset_password_signs_that_users_tab_out_and_a_removal_takes_their_console_away()
    {
        await StartAsync();
        var resetId = await UserWithAsync(ApplicationAccess.Full);
        var removedId = await UserWithAsync(ApplicationAccess.Full);
        await using var reset = await OpenTab.OpenAsync(console.NewScope(), resetId);
        await using var removed = await OpenTab.OpenAsync(console.NewScope(), removedId);
        var users = (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>();

        await users.ResetPasswordAsync(resetId);
        await OpenTab.WaitUntilAsync(() => !reset.SignedIn, OpenTab.Announced, "the reset to sign the tab out");
        Assert.True(removed.SignedIn); // another user's session is not touched

        await users.RemoveAsync(removedId);
        await OpenTab.WaitUntilAsync(() => !removed.SignedIn && removed.Shown is null, OpenTab.Announced, "the removal to reach the tab");
    }

    /// <summary>
    /// The figures for docs/performance.md ("Open tabs: queries while idle"): an idle tab's queries over a window several
    /// old polling periods long (asserted: none), what one check costs (what the old tab ran every 3 s, and the safety
    /// net runs every 5 minutes), and Printed, not timed.
    /// </summary>
    [Fact]
    public async Task Idle_tabs_make_no_database_queries()
    {
        await StartAsync();
        const int Tabs = 10;
        var idle = TimeSpan.FromSeconds(10);
        var userIds = new List<string>();
        for (var i = 0; i < Tabs; i++)
        {
            userIds.Add(await UserWithAsync(ApplicationAccess.ReadOnly));
        }
        var tabs = new List<OpenTab>();
        foreach (var userId in userIds)
        {
            tabs.Add(await OpenTab.OpenAsync(console.NewScope(), userId));
        }

        using var counter = new QueryCounter(console.DatabasePath);
        // Measuring idleness takes time passing; nothing here waits for a condition.
        await Task.Delay(idle, TestContext.Current.CancellationToken);
        var idleQueries = counter.Count;

        // One check, as the old tab ran it every 3 s and the safety net runs it now: the catalog, then the security
        // stamp from a scope of its own (as the authentication state provider reads it).
        var principal = await console.NewScope().GetRequiredService<IUserClaimsPrincipalFactory<ConsoleUser>>()
            .CreateAsync((await console.Get<UserManager<ConsoleUser>>().FindByIdAsync(userIds[0]))!);
        var start = counter.Count;
        await console.NewScope().GetRequiredService<RoleResolver>().LoadCatalogAsync(userIds[0]);
        var catalogQueries = counter.Count - start;
        start = counter.Count;
        var identity = console.NewScope().GetRequiredService<UserManager<ConsoleUser>>();
        await identity.GetSecurityStampAsync((await identity.GetUserAsync(principal))!);
        var stampQueries = counter.Count - start;

        foreach (var tab in tabs)
        {
            await tab.DisposeAsync();
        }
        var perCheck = catalogQueries + stampQueries;
        output.WriteLine($"{Tabs} idle tabs, {idle.TotalSeconds:0} s: {idleQueries} queries");
        output.WriteLine($"one check: catalog {catalogQueries} + security stamp {stampQueries} = {perCheck} queries");
        output.WriteLine($"before (a check every 3 s): {perCheck * 60 / 3} queries per idle tab per minute");
        output.WriteLine($"after (announced changes; safety net every {IChangeFeed.SafetyNetInterval.TotalMinutes:0} min): " +
            $"{perCheck / IChangeFeed.SafetyNetInterval.TotalMinutes:0.0} queries per idle tab per minute");
        Assert.Equal(0, idleQueries);
    }
}
