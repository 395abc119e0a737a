using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;

namespace VodConsole.Tests.Accounts;

public sealed class AccountServiceTests
{
    [Fact]
    public async Task A_new_account_bills_daily_is_active_and_has_no_sub_applications()
    {
        await using var console = await TestConsole.StartAsync();

        var account = await console.Get<AccountService>().GetAsync();

        Assert.Equal(BillingMode.Daily, account.BillingMode);
        Assert.Equal(ServiceStatus.Active, account.ServiceStatus);
        Assert.False(account.SubApplicationsEnabled);
    }

    [Fact]
    public async Task Only_the_owner_can_enable_sub_applications()
    {
        await using var console = await TestConsole.StartAsync();
        var operatorId = await console.AddUserAsync("operator@vod.test");

        var error = await Assert.ThrowsAsync<VodConsole.Core.Access.AccessDeniedException>(
            () => console.Get<AccountService>().EnableSubApplicationsAsync(operatorId));

        Assert.Contains("owner", error.Message);
        Assert.False((await console.Get<AccountService>().GetAsync()).SubApplicationsEnabled);
    }

    [Fact]
    public async Task Enabling_sub_applications_changes_nothing_but_the_switch_and_can_be_repeated()
    {
        await using var console = await TestConsole.StartAsync();
        var before = (await console.Get<ApplicationService>().ListAsync()).Single();

        var ownerId = await console.EnableSubApplicationsAsync();
        await console.Get<AccountService>().EnableSubApplicationsAsync(ownerId);

        var account = await console.Get<AccountService>().GetAsync();
        var after = (await console.Get<ApplicationService>().ListAsync()).Single();
        Assert.True(account.SubApplicationsEnabled);
        Assert.NotNull(account.SubApplicationsEnabledAt);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Name, after.Name);
        Assert.Equal(before.Status, after.Status);
    }
}
