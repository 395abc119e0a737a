using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Api;

/// <summary>
/// An API key follows the access of the user who vouches for it: when that user loses the access the key needs, or is
/// locked or removed, the key is disabled with the reason, and someone with access may enable it again (decision 0010).
/// </summary>
public sealed class ApiKeyCustodyTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private long app;
    private UserAccessService admin = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        app = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Keys App", null)).Id;
        admin = (await console.InApplicationAsync(app)).GetRequiredService<UserAccessService>();
    }

    private async Task<string> UserWithAsync(string name, ApplicationAccess access)
    {
        var userId = await console.AddUserAsync($"{name}@vod.test");
        await admin.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [app] = access });
        return userId;
    }

    private async Task<long> KeyAsync(string userId, ApplicationAccess access) =>
        (await (await console.AsUserAsync(userId, app)).GetRequiredService<ApiKeyService>().CreateAsync($"{access} key", access)).Key.Id;

    private async Task<ApiKey> StoredAsync(long id)
    {
        await using var db = await console.OpenDbAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id);
    }

    [Fact]
    public async Task Losing_full_access_disables_the_full_keys_a_user_made_and_someone_with_access_enables_them_again()
    {
        await StartAsync();
        var maker = await UserWithAsync("maker", ApplicationAccess.Full);
        var full = await KeyAsync(maker, ApplicationAccess.Full);
        var readOnly = await KeyAsync(maker, ApplicationAccess.ReadOnly);

        await admin.SetAccessAsync(maker, false, new Dictionary<long, ApplicationAccess> { [app] = ApplicationAccess.ReadOnly });

        var disabled = await StoredAsync(full);
        Assert.False(disabled.IsEnabled);
        Assert.Contains("maker@vod.test", disabled.DisabledReason);
        Assert.True((await StoredAsync(readOnly)).IsEnabled); // read-only access still covers a read-only key
        var entry = (await console.Get<AuditLog>().PageAsync(new AuditQuery(ApplicationId: app, Action: AuditActions.ApiKeyDisabled), null)).Entries.Single();
        Assert.Contains(disabled.KeyId, entry.Target);
        Assert.Contains("maker@vod.test", entry.After);

        // The keys page shows why; a user who still has full access enables it, and vouches for it from then on.
        var keeper = await UserWithAsync("keeper", ApplicationAccess.Full);
        var keys = (await console.AsUserAsync(keeper, app)).GetRequiredService<ApiKeyService>();
        Assert.Equal(disabled.DisabledReason, (await keys.ListAsync()).Single(k => k.Id == full).DisabledReason);
        await keys.SetEnabledAsync(full, true);
        var enabled = await StoredAsync(full);
        Assert.True(enabled.IsEnabled);
        Assert.Null(enabled.DisabledReason);
        Assert.Equal(keeper, enabled.ResponsibleUserId);

        // The maker losing the rest of their access now takes only the key still theirs.
        await admin.SetAccessAsync(maker, false, new Dictionary<long, ApplicationAccess>());
        Assert.True((await StoredAsync(full)).IsEnabled);
        Assert.False((await StoredAsync(readOnly)).IsEnabled);
    }

    [Theory]
    [InlineData("lock")]
    [InlineData("remove")]
    public async Task Locking_or_removing_a_user_disables_every_key_they_vouch_for(string action)
    {
        await StartAsync();
        var maker = await UserWithAsync("leaver", ApplicationAccess.Full);
        var full = await KeyAsync(maker, ApplicationAccess.Full);
        var readOnly = await KeyAsync(maker, ApplicationAccess.ReadOnly);

        await (action == "lock" ? admin.SetLockedAsync(maker, true) : admin.RemoveAsync(maker));

        foreach (var id in new[] { full, readOnly })
        {
            var key = await StoredAsync(id);
            Assert.False(key.IsEnabled);
            Assert.Contains(action == "lock" ? "was locked" : "was removed", key.DisabledReason);
        }
        if (action == "lock")
        {
            await admin.SetLockedAsync(maker, false);
            Assert.False((await StoredAsync(full)).IsEnabled); // unlocking re-enables nothing: someone must decide
        }
    }

    [Fact]
    public async Task A_lockout_after_failed_sign_ins_disables_nothing_and_an_administrators_account_keys_follow_the_administrator_role()
    {
        await StartAsync();
        var administrator = await console.AddUserAsync("boss@vod.test", isAdministrator: true);
        var adminScope = await console.AsUserAsync(administrator);
        var roles = adminScope.GetRequiredService<VodConsole.Core.Roles.RoleContext>();
        var catalog = roles.Catalog!;
        roles.Enter(catalog, catalog.Resolve(new VodConsole.Core.Roles.RoleRoute(VodConsole.Core.Roles.RoleRouteKind.Admin)));
        var accountKey = (await adminScope.GetRequiredService<ApiKeyService>().CreateAsync("Account key", ApplicationAccess.Full)).Key.Id;

        // Anyone can lock an account out by typing wrong passwords: that must not switch its keys off.
        var identity = console.Get<UserManager<ConsoleUser>>();
        var user = (await identity.FindByIdAsync(administrator))!;
        while (!await identity.IsLockedOutAsync(user))
        {
            await identity.AccessFailedAsync(user);
        }
        Assert.True((await StoredAsync(accountKey)).IsEnabled);

        await admin.SetAccessAsync(administrator, false, new Dictionary<long, ApplicationAccess> { [app] = ApplicationAccess.Full });
        Assert.False((await StoredAsync(accountKey)).IsEnabled);
    }
}
