using VodConsole.Core.Audit;
using VodConsole.Core.Data;
using VodConsole.Core.Review;

namespace VodConsole.E2E;

/// <summary>Drift between two applications seen side by side, one section applied after its preview: the difference goes, the audit log has it.</summary>
public sealed class ConfigurationTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_highlighted_difference_disappears_once_its_section_is_applied_and_the_audit_log_records_it()
    {
        var server = fixture.Server;
        var test = await server.CreateSubApplicationAsync("Config test");
        var production = await server.CreateSubApplicationAsync("Config production");
        await using (var db = await server.Get<ApplicationData>().OpenForAsync(test.Id))
        {
            db.ReviewSettings.Add(new ReviewSettings { ApplicationId = test.Id, Mode = ReviewMode.Manual, Version = 1, ModifiedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/admin/configuration?left={test.Id}&right={production.Id}");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Configuration", Exact = true })).ToBeVisibleAsync();
        await tab.WaitForInteractiveAsync();

        // The review mode differs: its row is marked with a label (not colour alone) and shows both values.
        var review = tab.Page.GetByTestId("configuration-row").Filter(new() { HasText = "Review mode" });
        await Expect(review).ToHaveAttributeAsync("data-differs", "true");
        await Expect(review.GetByTestId("configuration-kind")).ToHaveTextAsync("Changed");
        await Expect(review).ToContainTextAsync("Manual");
        await tab.Page.GetByLabel("Only differences").CheckAsync();
        await Expect(tab.Page.GetByTestId("configuration-row").Filter(new() { HasText = "URL signing" })).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("admin-configuration");

        await tab.Page.GetByLabel("Review", new() { Exact = true }).CheckAsync();
        await tab.Page.GetByTestId("configuration-preview").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        var target = dialog.GetByTestId("configuration-target").Filter(new() { HasText = production.Name });
        await Expect(target.GetByTestId("configuration-row").Filter(new() { HasText = "Review mode" })).ToContainTextAsync("Manual");
        await dialog.GetByTestId("configuration-confirm").ClickAsync();
        await Expect(target.GetByTestId("configuration-result")).ToHaveAttributeAsync("data-outcome", "Applied");
        await dialog.GetByTestId("configuration-close").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await Expect(tab.Page.GetByTestId("configuration-row").Filter(new() { HasText = "Review mode" })).ToHaveCountAsync(0);
        await tab.Page.GetByLabel("Only differences").UncheckAsync();
        await Expect(tab.Page.GetByTestId("configuration-row").Filter(new() { HasText = "Review mode" })).ToHaveAttributeAsync("data-differs", "false");

        // Newest first: the entry is at the top of the Admin log, with the application it changed.
        await tab.GotoAsync("/admin/audit");
        var entry = tab.Page.Locator("tr", new() { Has = tab.Page.GetByTestId("audit-action").GetByText(AuditActions.ConfigurationApplied) })
            .Filter(new() { HasText = $"Configuration from {test.Name}" });
        await Expect(entry).ToContainTextAsync(production.Name);
    }
}
