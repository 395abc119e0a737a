using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;
using VodConsole.Web.Packages;

namespace VodConsole.Tests.Components;

public sealed class PackagesPageTests : ConsoleComponentContext
{
    private const long GB = PackageRules.BytesPerGigabyte;

    private PackageLedger Ledger => Services.GetRequiredService<PackageLedger>();

    private IRenderedComponent<PackagesPage> RenderWithOnePackage()
    {
        var page = Render<PackagesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='package-name']")));
        return page;
    }

    [Fact]
    public async Task Edit_opens_the_package_filled_in_and_saves_the_correction()
    {
        var package = await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Ledger.Today, Ledger.Today.AddDays(30));
        var page = RenderWithOnePackage();
        Assert.Equal($"Traffic package {package.Id}", page.Find("[data-testid='package-name']").TextContent.Trim());

        await page.FindAndClickAsync("[data-testid='package-edit']");
        Dialogs.WaitForAssertion(() => Assert.Contains("Edit Traffic package", Dialogs.Markup));
        var amount = Dialogs.FindComponent<MudNumericField<decimal?>>();
        Assert.Equal(10m, amount.Instance.GetState(x => x.Value));
        await Dialogs.FindAndChangeAsync("input[data-testid='package-name-field']", "PO-2026-1");
        await amount.FindAndInputAsync("input", "100");
        await Dialogs.FindAndSubmitAsync("form#register-package-form");

        page.WaitForAssertion(() => Assert.Equal("PO-2026-1", page.Find("[data-testid='package-name']").TextContent.Trim()));
        var line = Assert.Single((await Ledger.GetLedgerAsync()).Packages);
        Assert.Equal(("PO-2026-1", 100 * GB), (line.Name, line.Amount));
    }

    [Fact]
    public async Task Once_usage_was_settled_the_edit_dialog_fixes_type_and_start_and_says_why()
    {
        await Ledger.RegisterAsync(PackageType.Traffic, 10 * GB, Ledger.Today.AddDays(-3), Ledger.Today.AddDays(30));
        await Ledger.SettleThroughAsync(Ledger.Today.AddDays(-1));
        var page = RenderWithOnePackage();

        await page.FindAndClickAsync("[data-testid='package-edit']");

        Dialogs.WaitForAssertion(() => Assert.Contains("has been settled against it", Dialogs.Find("[data-testid='package-terms-fixed']").TextContent));
        Assert.True(Dialogs.FindComponent<MudRadioGroup<PackageType>>().Instance.Disabled);
        Assert.True(Dialogs.Find("input[data-testid='package-start-field']").HasAttribute("disabled"));
        Assert.False(Dialogs.Find("input[data-testid='package-expiry-field']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Cancel_asks_first_with_a_destructive_button_and_then_the_package_reads_cancelled_with_its_actions_disabled()
    {
        var package = await Ledger.RegisterAsync(PackageType.Review, 600, Ledger.Today, Ledger.Today.AddDays(30), "PO-3");
        var page = RenderWithOnePackage();

        await page.FindAndClickAsync("[data-testid='package-cancel']");
        Dialogs.WaitForAssertion(() => Assert.Contains("Cancel PO-3?", Dialogs.Markup));
        var confirm = Dialogs.Find("[data-testid='confirm-yes']");
        Assert.Equal(("Cancel package", "true"), (confirm.TextContent.Trim(), confirm.GetAttribute("data-destructive")));
        Assert.Contains("mud-button-filled-error", confirm.ClassName);
        Assert.Equal(PackageStatus.Effective, Assert.Single((await Ledger.GetLedgerAsync()).Packages).Status);
        await Dialogs.FindAndClickAsync("[data-testid='confirm-yes']");

        page.WaitForAssertion(() => Assert.StartsWith("Cancelled on", page.Find("[data-testid='package-status']").TextContent.Trim()));
        Assert.True(page.Find("[data-testid='package-edit']").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid='package-cancel']").HasAttribute("disabled"));
        Assert.Contains("It is already cancelled.", page.Find("[data-testid='package-cancel-refused']").TextContent);
        Assert.Contains("register a new package instead", page.Find("[data-testid='package-edit-refused']").TextContent);
        Assert.Equal(PackageStatus.Cancelled, (await Ledger.GetLedgerAsync()).Packages.Single(p => p.Id == package.Id).Status);
    }

    [Fact]
    public async Task Dismissing_the_cancel_confirmation_keeps_the_package()
    {
        await Ledger.RegisterAsync(PackageType.Review, 600, Ledger.Today, Ledger.Today.AddDays(30), "PO-4");
        var page = RenderWithOnePackage();

        await page.FindAndClickAsync("[data-testid='package-cancel']");
        Dialogs.WaitForAssertion(() => Assert.Single(Dialogs.FindAll("[data-testid='confirm-cancel']")));
        Assert.Equal("Keep it", Dialogs.Find("[data-testid='confirm-cancel']").TextContent.Trim());
        await Dialogs.FindAndClickAsync("[data-testid='confirm-cancel']");

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='confirm-dialog']")));
        Assert.Equal(PackageStatus.Effective, Assert.Single((await Ledger.GetLedgerAsync()).Packages).Status);
        Assert.Empty(page.FindAll("[data-testid='package-cancel-refused']"));
    }
}
