using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Roles;

/// <summary>
/// Every committed change that affects what someone may see is announced on the change feed (issue 14, item 6) — by the
/// data layer, whichever service made it — and nothing else is: an announcement makes every open tab it concerns reload.
/// </summary>
public sealed class ChangeAnnouncementTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private readonly ConcurrentQueue<ConsoleChange> announced = new();
    private string ownerId = "";
    private string userId = "";
    private Application sub = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync();
        ownerId = await console.EnableSubApplicationsAsync();
        sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        userId = await console.AddUserAsync("editor@vod.test", password: "Editor-Passw0rd!");
        console.Get<IChangeFeed>().Subscribe(announced.Enqueue);
    }

    private async Task<UserAccessService> UsersAsync() => (await console.AsUserAsync(ownerId)).GetRequiredService<UserAccessService>();

    /// <summary>What <paramref name="change"/> announced, and only that.</summary>
    private async Task<ConsoleChange[]> AnnouncedByAsync(Func<Task> change)
    {
        announced.Clear();
        await change();
        return [.. announced];
    }

    [Fact]
    public async Task Granting_changing_and_revoking_access_announce_that_user()
    {
        await StartAsync();
        var users = await UsersAsync();
        var expected = ConsoleChange.ForUser(userId);

        Assert.Contains(expected, await AnnouncedByAsync(() => users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.ReadOnly })));
        Assert.Contains(expected, await AnnouncedByAsync(() => users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.Full })));
        Assert.Contains(expected, await AnnouncedByAsync(() => users.SetAccessAsync(userId, true, new Dictionary<long, ApplicationAccess>())));
        Assert.Contains(expected, await AnnouncedByAsync(() => users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess>())));
        Assert.All(announced, change => Assert.Equal(expected, change)); // nobody else's tab reloads
    }

    [Fact]
    public async Task Ending_a_users_sessions_announces_that_user_however_it_is_done()
    {
        await StartAsync();
        var users = await UsersAsync();
        var expected = ConsoleChange.ForUser(userId);

        Assert.Contains(expected, await AnnouncedByAsync(() => users.ResetPasswordAsync(userId)));
        Assert.Contains(expected, await AnnouncedByAsync(() => console.Get<UserAccessService>().ResetPasswordFromShellAsync("editor@vod.test")));
        Assert.Contains(expected, await AnnouncedByAsync(() => users.SetLockedAsync(userId, locked: true)));
        var identity = console.Get<UserManager<ConsoleUser>>();
        Assert.Contains(expected, await AnnouncedByAsync(async () => await identity.UpdateSecurityStampAsync((await identity.FindByIdAsync(userId))!)));
        Assert.Contains(expected, await AnnouncedByAsync(() => users.RemoveAsync(userId)));
    }

    [Fact]
    public async Task Turning_two_factor_off_announces_the_user_whose_stamp_changed()
    {
        await StartAsync();
        var identity = console.Get<UserManager<ConsoleUser>>();
        var user = (await identity.FindByIdAsync(userId))!;
        (await identity.SetTwoFactorEnabledAsync(user, true)).ThrowIfFailed();

        var changes = await AnnouncedByAsync(async () => await (await UsersAsync()).TurnOffTwoFactorAsync(userId));

        Assert.Contains(ConsoleChange.ForUser(userId), changes);
    }

    [Fact]
    public async Task Application_and_account_changes_announce_everyone()
    {
        await StartAsync();
        var applications = console.Get<ApplicationService>();
        var account = console.Get<AccountService>();

        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => applications.CreateSubApplicationAsync("Customer B", null)));
        var renamed = await applications.FindAsync(sub.Id);
        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(async () => renamed = await applications.UpdateAsync(sub.Id, "Customer A2", null, renamed!.Version)));
        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => applications.SetStatusAsync(sub.Id, ApplicationStatus.Disabled, renamed!.Version)));
        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => account.SetBillingModeAsync(BillingMode.Monthly)));
        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => account.SuspendAsync()));
        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => account.ResumeAsync()));
    }

    [Fact]
    public async Task Enabling_sub_applications_announces_everyone()
    {
        console = await TestConsole.StartAsync();
        var owner = await console.AddUserAsync("owner@vod.test", isOwner: true);
        console.Get<IChangeFeed>().Subscribe(announced.Enqueue);

        Assert.Contains(ConsoleChange.Account, await AnnouncedByAsync(() => console.Get<AccountService>().EnableSubApplicationsAsync(owner)));
    }

    [Fact]
    public async Task Changes_no_tab_shows_announce_nothing()
    {
        await StartAsync();
        var identity = console.Get<UserManager<ConsoleUser>>();

        Assert.Empty(await AnnouncedByAsync(async () => await identity.AccessFailedAsync((await identity.FindByIdAsync(userId))!)));
        Assert.Empty(await AnnouncedByAsync(async () =>
            await console.Get<RoleResolver>().RememberLastRoleAsync(ownerId, ConsoleRole.For(sub))));
        Assert.Empty(await AnnouncedByAsync(async () => await (await UsersAsync()).AddAsync("newcomer@vod.test", null)));
    }

    [Fact]
    public async Task A_change_inside_a_transaction_is_announced_at_its_commit_and_never_after_a_rollback()
    {
        await StartAsync();

        await using (var db = await console.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = userId, ApplicationId = sub.Id, Access = ApplicationAccess.Full });
            Assert.Empty(await AnnouncedByAsync(() => db.SaveChangesAsync()));
            Assert.Equal([ConsoleChange.ForUser(userId)], await AnnouncedByAsync(() => transaction.CommitAsync()));
        }

        await using (var db = await console.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ApplicationGrants.RemoveRange(db.ApplicationGrants.Where(g => g.UserId == userId));
            Assert.Empty(await AnnouncedByAsync(async () =>
            {
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            }));
        }
        await using var check = await console.OpenDbAsync();
        Assert.Single(await check.ApplicationGrants.Where(g => g.UserId == userId).ToListAsync());
    }
}
