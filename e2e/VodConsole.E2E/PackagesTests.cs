using System.Globalization;
using VodConsole.Core.Packages;

namespace VodConsole.E2E;

public sealed class PackagesTests(ConsoleFixture fixture)
{
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_owner_registers_a_traffic_package_and_sees_it_effective_with_its_amount()
    {
        await using var tab = await OpenPackagesAsync();

        await tab.Page.GetByTestId("register-package").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Traffic" }).CheckAsync();
        await dialog.GetByLabel("Amount").FillAsync("750");
        await dialog.GetByLabel("Amount").PressAsync("Enter"); // the form submits from the keyboard
        await Expect(dialog).ToHaveCountAsync(0);

        var row = tab.Page.GetByTestId("packages-table").Locator("tbody tr").Filter(new() { Has = tab.Page.GetByTestId("package-amount").GetByText("750 GB", new() { Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("package-type")).ToHaveTextAsync("Traffic");
        await Expect(row.GetByTestId("package-status")).ToHaveTextAsync("Effective");
        await Expect(row.GetByTestId("package-left")).ToHaveTextAsync("750 GB left");
        await Expect(row).ToContainTextAsync(Today);
        await tab.ScreenshotAsync("admin-packages");
    }

    [Fact]
    public async Task An_invalid_registration_shows_the_rule_in_the_dialog_and_adds_nothing()
    {
        var before = (await fixture.Server.Get<PackageLedger>().GetLedgerAsync()).Packages.Count;
        await using var tab = await OpenPackagesAsync();

        await tab.Page.GetByTestId("register-package").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Amount").FillAsync("0");
        await dialog.GetByTestId("register-package-submit").ClickAsync();
        await Expect(dialog.GetByTestId("register-package-error")).ToHaveTextAsync("Enter an amount greater than zero.");

        await dialog.GetByLabel("Amount").FillAsync("5");
        await dialog.GetByLabel("Expiry date").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await dialog.GetByTestId("register-package-submit").ClickAsync();
        await Expect(dialog.GetByTestId("register-package-error")).ToHaveTextAsync("The expiry date cannot be before the start date.");
        await tab.ScreenshotAsync("register-package-error");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(before, (await fixture.Server.Get<PackageLedger>().GetLedgerAsync()).Packages.Count);
        await Expect(tab.Page.GetByTestId("packages-table").GetByTestId("package-amount").GetByText("5 GB", new() { Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_mistyped_package_is_corrected_then_cancelled_after_a_red_confirmation_and_offers_no_more_changes()
    {
        var name = $"PO-{Guid.NewGuid():N}"[..11];
        await using var tab = await OpenPackagesAsync();
        await tab.Page.GetByTestId("register-package").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name or order number (optional)").FillAsync(name);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Review" }).CheckAsync();
        await dialog.GetByLabel("Amount").FillAsync("15");
        await dialog.GetByTestId("register-package-submit").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        var row = tab.Page.GetByTestId("packages-table").Locator("tbody tr").Filter(new() { Has = tab.Page.GetByTestId("package-name").GetByText(name, new() { Exact = true }) });
        await Expect(row.GetByTestId("package-amount")).ToHaveTextAsync("15 min");

        // The amount was mistyped: 150 minutes were bought.
        await row.GetByTestId("package-edit").ClickAsync();
        await Expect(dialog.GetByLabel("Name or order number (optional)")).ToHaveValueAsync(name);
        await dialog.GetByLabel("Amount").FillAsync("150");
        await dialog.GetByTestId("register-package-submit").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("package-amount")).ToHaveTextAsync("150 min");

        await row.GetByTestId("package-cancel").ClickAsync();
        await Expect(dialog).ToContainTextAsync($"Cancel {name}?");
        var confirm = dialog.GetByTestId("confirm-yes");
        await Expect(confirm).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled-error"));
        await tab.ScreenshotAsync("cancel-package-confirmation");
        await confirm.ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await Expect(row.GetByTestId("package-status")).ToHaveTextAsync($"Cancelled on {Today}");
        await Expect(row.GetByTestId("package-edit")).ToBeDisabledAsync();
        await Expect(row.GetByTestId("package-cancel")).ToBeDisabledAsync();
        await row.GetByTestId("package-cancel-refused").HoverAsync();
        await Expect(tab.Page.GetByText("It is already cancelled.", new() { Exact = true })).ToBeVisibleAsync();
        var line = (await fixture.Server.Get<PackageLedger>().GetLedgerAsync()).Packages.Single(p => p.Name == name);
        Assert.Equal((PackageStatus.Cancelled, 150 * PackageRules.SecondsPerMinute), (line.Status, line.Amount));
    }

    private async Task<ConsolePage> OpenPackagesAsync()
    {
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/packages");
        await tab.SignInAsync();
        await Expect(tab.Page).ToHaveURLAsync(fixture.Server.Url("/admin/packages"));
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Resource Packages" })).ToBeVisibleAsync();
        return tab;
    }
}
