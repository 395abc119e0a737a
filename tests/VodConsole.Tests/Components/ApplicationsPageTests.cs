using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Web.Applications;

namespace VodConsole.Tests.Components;

public sealed class ApplicationsPageTests : ConsoleComponentContext
{
    [Fact]
    public async Task Disabling_asks_first_explaining_what_happens_and_then_disables()
    {
        var app = await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        var page = Render<ApplicationsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='disable-application']")));

        // Found and clicked in one step on the renderer, so no render in between replaces the button's handler.
        await page.InvokeAsync(() => page.Find("[data-testid='disable-application']").Click());

        Dialogs.WaitForAssertion(() => Assert.Contains("playback domain stops serving", Dialogs.Markup));
        Assert.Contains("media and settings are kept", Dialogs.Markup);
        Assert.Contains("Uploads and processing continue", Dialogs.Markup);
        Assert.Equal(ApplicationStatus.Enabled, (await Services.GetRequiredService<ApplicationService>().FindAsync(app.Id))!.Status);

        await Dialogs.InvokeAsync(() => Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Disable").Click());

        page.WaitForAssertion(() => Assert.Equal(
            ["Enabled", "Disabled"], page.FindAll("[data-testid='application-status']").Select(chip => chip.TextContent.Trim())));
        Assert.Equal(ApplicationStatus.Disabled, (await Services.GetRequiredService<ApplicationService>().FindAsync(app.Id))!.Status);
    }

    [Fact]
    public async Task Cancelling_the_confirmation_changes_nothing()
    {
        var app = await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        var page = Render<ApplicationsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='disable-application']")));

        await page.InvokeAsync(() => page.Find("[data-testid='disable-application']").Click());
        Dialogs.WaitForAssertion(() => Assert.Contains("playback domain stops serving", Dialogs.Markup));
        await Dialogs.InvokeAsync(() => Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        Dialogs.WaitForAssertion(() => Assert.DoesNotContain("playback domain stops serving", Dialogs.Markup));
        Assert.Equal(ApplicationStatus.Enabled, (await Services.GetRequiredService<ApplicationService>().FindAsync(app.Id))!.Status);
    }

    [Fact]
    public async Task While_the_service_is_suspended_enable_is_disabled_with_the_reason_the_service_would_give()
    {
        await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        await Services.GetRequiredService<VodConsole.Core.Accounts.AccountService>().SuspendAsync();
        var page = Render<ApplicationsPage>();
        // The applications and the account's status load one after the other: wait for the page to show both.
        page.WaitForAssertion(() =>
        {
            Assert.True(page.Find("[data-testid='enable-application']").HasAttribute("disabled"));
            Assert.Contains("The service is suspended", page.Find("[data-testid='application-status-refused']").TextContent);
        });
    }

    [Fact]
    public void The_primary_application_offers_no_edit_or_disable_and_the_page_says_why_there_is_no_delete()
    {
        var page = Render<ApplicationsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='application-row']")));

        Assert.Empty(page.FindAll("[data-testid='edit-application']"));
        Assert.Empty(page.FindAll("[data-testid='disable-application']"));
        Assert.Contains("cannot be deleted", page.Find("[data-testid='no-delete-note']").TextContent);
    }
}
