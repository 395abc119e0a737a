using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;

namespace VodConsole.Tests.Applications;

public sealed class ApplicationEditingTests
{
    [Fact]
    public async Task A_sub_application_can_be_renamed_and_redescribed()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var created = await service.CreateSubApplicationAsync("Old name", "Old");

        var updated = await service.UpdateAsync(created.Id, "  New name ", "New", created.Version);

        Assert.Equal("New name", updated.Name);
        Assert.Equal("New", (await service.FindAsync(created.Id))!.Description);
        Assert.Equal(created.Version + 1, updated.Version);
    }

    [Fact]
    public async Task The_primary_applications_name_and_description_cannot_be_changed()
    {
        await using var console = await TestConsole.StartAsync();
        var primary = (await console.Get<ApplicationService>().ListAsync()).Single();

        var error = await Assert.ThrowsAsync<DomainRuleException>(
            () => console.Get<ApplicationService>().UpdateAsync(primary.Id, "Renamed", null, primary.Version));

        Assert.Contains("primary", error.Message);
        Assert.Equal(primary.Name, (await console.Get<ApplicationService>().FindAsync(primary.Id))!.Name);
    }

    [Fact]
    public async Task Renaming_to_another_applications_name_is_refused_but_changing_case_of_its_own_is_not()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var first = await service.CreateSubApplicationAsync("First", null);
        var second = await service.CreateSubApplicationAsync("Second", null);

        await Assert.ThrowsAsync<DomainRuleException>(() => service.UpdateAsync(second.Id, "first", null, second.Version));
        var recased = await service.UpdateAsync(first.Id, "FIRST", null, first.Version);

        Assert.Equal("FIRST", recased.Name);
    }

    [Fact]
    public async Task The_second_of_two_concurrent_edits_is_told_of_the_conflict_and_shown_the_current_values()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var opened = await service.CreateSubApplicationAsync("Shared", "Original");

        await console.Get<ApplicationService>().UpdateAsync(opened.Id, "Saved first", "By admin one", opened.Version);
        var conflict = await Assert.ThrowsAsync<ApplicationEditConflictException>(
            () => console.Get<ApplicationService>().UpdateAsync(opened.Id, "Saved second", "By admin two", opened.Version));

        Assert.Equal("Saved first", conflict.Current.Name);
        Assert.Equal("By admin one", conflict.Current.Description);
        Assert.Equal("Saved first", (await service.FindAsync(opened.Id))!.Name);
    }

    [Fact]
    public async Task A_sub_application_can_be_disabled_and_enabled_again()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var app = await service.CreateSubApplicationAsync("Toggle", null);

        var disabled = await service.SetStatusAsync(app.Id, ApplicationStatus.Disabled, app.Version);
        var enabled = await service.SetStatusAsync(app.Id, ApplicationStatus.Enabled, disabled.Version);

        Assert.Equal(ApplicationStatus.Disabled, disabled.Status);
        Assert.Equal(ApplicationStatus.Enabled, enabled.Status);
    }

    [Fact]
    public async Task The_primary_application_cannot_be_disabled()
    {
        await using var console = await TestConsole.StartAsync();
        var primary = (await console.Get<ApplicationService>().ListAsync()).Single();

        await Assert.ThrowsAsync<DomainRuleException>(
            () => console.Get<ApplicationService>().SetStatusAsync(primary.Id, ApplicationStatus.Disabled, primary.Version));

        Assert.Equal(ApplicationStatus.Enabled, (await console.Get<ApplicationService>().FindAsync(primary.Id))!.Status);
    }

    [Fact]
    public async Task Suspending_disables_every_application_and_resuming_restores_each_previous_status()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var running = await service.CreateSubApplicationAsync("Running", null);
        var stopped = await service.CreateSubApplicationAsync("Stopped", null);
        await service.SetStatusAsync(stopped.Id, ApplicationStatus.Disabled, stopped.Version);
        var accounts = console.Get<AccountService>();

        await accounts.SuspendAsync();
        var whileSuspended = await service.ListAsync();
        await accounts.ResumeAsync();
        var afterResume = (await service.ListAsync()).ToDictionary(a => a.Id);

        Assert.All(whileSuspended, a => Assert.Equal(ApplicationStatus.Disabled, a.Status));
        Assert.Equal(ServiceStatus.Active, (await accounts.GetAsync()).ServiceStatus);
        Assert.Equal(ApplicationStatus.Enabled, afterResume[running.Id].Status);
        Assert.Equal(ApplicationStatus.Disabled, afterResume[stopped.Id].Status);
        Assert.Equal(ApplicationStatus.Enabled, afterResume.Values.Single(a => a.IsPrimary).Status);
    }

    [Fact]
    public async Task Suspending_twice_keeps_the_statuses_to_restore()
    {
        await using var console = await TestConsole.StartAsync();
        var accounts = console.Get<AccountService>();

        await accounts.SuspendAsync();
        await accounts.SuspendAsync();
        await accounts.ResumeAsync();

        Assert.Equal(ApplicationStatus.Enabled, (await console.Get<ApplicationService>().ListAsync()).Single().Status);
    }

    [Fact]
    public async Task While_suspended_nothing_can_be_enabled_and_new_applications_start_disabled()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        var existing = await service.CreateSubApplicationAsync("Existing", null);
        await console.Get<AccountService>().SuspendAsync();
        existing = (await service.FindAsync(existing.Id))!;

        await Assert.ThrowsAsync<DomainRuleException>(() => service.SetStatusAsync(existing.Id, ApplicationStatus.Enabled, existing.Version));
        var created = await service.CreateSubApplicationAsync("Created while suspended", null);
        await console.Get<AccountService>().ResumeAsync();

        Assert.Equal(ApplicationStatus.Disabled, created.Status);
        Assert.Equal(ApplicationStatus.Enabled, (await service.FindAsync(created.Id))!.Status);
    }

    [Fact]
    public async Task Switching_billing_mode_is_stored()
    {
        await using var console = await TestConsole.StartAsync();

        await console.Get<AccountService>().SetBillingModeAsync(BillingMode.Monthly);

        Assert.Equal(BillingMode.Monthly, (await console.Get<AccountService>().GetAsync()).BillingMode);
    }
}
