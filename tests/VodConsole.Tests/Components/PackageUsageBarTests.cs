using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using VodConsole.Core.Packages;
using VodConsole.Web.Packages;

namespace VodConsole.Tests.Components;

public sealed class PackageUsageBarTests : MudTestContext
{
    [Fact]
    public void A_traffic_package_shows_used_and_left_in_readable_units_and_the_bar_at_the_used_share()
    {
        var bar = Render<PackageUsageBar>(p => p
            .Add(b => b.Type, PackageType.Traffic)
            .Add(b => b.Amount, 2 * PackageRules.BytesPerTerabyte)
            .Add(b => b.Used, PackageRules.BytesPerTerabyte / 2));

        Assert.Equal("500 GB used", bar.Find("[data-testid='package-used']").TextContent);
        Assert.Equal("1.5 TB left", bar.Find("[data-testid='package-left']").TextContent);
        Assert.Equal(25, bar.FindComponent<MudProgressLinear>().Instance.GetState(x => x.Value));
    }

    [Fact]
    public void A_review_package_reads_in_minutes_and_a_used_up_one_fills_the_bar()
    {
        var bar = Render<PackageUsageBar>(p => p
            .Add(b => b.Type, PackageType.Review)
            .Add(b => b.Amount, 90_000)
            .Add(b => b.Used, 90_000));

        Assert.Equal("1,500 min used", bar.Find("[data-testid='package-used']").TextContent);
        Assert.Equal("0 min left", bar.Find("[data-testid='package-left']").TextContent);
        Assert.Equal(100, bar.FindComponent<MudProgressLinear>().Instance.GetState(x => x.Value));
    }

    [Fact]
    public void A_package_bought_to_start_later_reads_effective_from_its_start_date()
    {
        var line = new PackageLine(1, null, "Storage package 1", PackageType.Storage, 100, 0, 100, new DateOnly(2026, 5, 1), new DateOnly(2027, 4, 30),
            PackageStatus.Effective, NotStartedYet: true, CancelledOn: null, Version: 0, new PackageChanges(null, null, 1, null, null));

        var chip = Render<PackageStatusChip>(p => p.Add(c => c.Package, line));

        Assert.Equal("Effective from 2026-05-01", chip.Find("[data-testid='package-status']").TextContent.Trim());
    }
}
