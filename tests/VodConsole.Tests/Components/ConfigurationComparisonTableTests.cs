using Bunit;
using VodConsole.Core.Configuration;
using VodConsole.Web.Configuration;

namespace VodConsole.Tests.Components;

/// <summary>The side-by-side comparison marks each difference with a label (not colour alone) and can hide what is alike.</summary>
public sealed class ConfigurationComparisonTableTests : MudTestContext
{
    private static readonly IReadOnlyList<ConfigurationRow> Rows =
    [
        new(ConfigSection.Playback, "URL signing", "Off", "Off", null),
        new(ConfigSection.Review, "Review mode", "Off", "Manual", DifferenceKind.Changed),
        new(ConfigSection.Categories, "Category: News", null, ConfigurationComparison.Present, DifferenceKind.Added),
        new(ConfigSection.Categories, "Category: Sport", ConfigurationComparison.Present, null, DifferenceKind.Removed),
    ];

    [Fact]
    public void Every_difference_is_tinted_and_labelled_and_only_differences_hides_the_rest()
    {
        var table = Render<ConfigurationComparisonTable>(p => p
            .Add(t => t.Rows, Rows).Add(t => t.LeftName, "Production").Add(t => t.RightName, "Test"));

        var rows = table.FindAll("[data-testid='configuration-row']");
        Assert.Equal(4, rows.Count);
        Assert.Equal(["Same", "Changed", "Added", "Removed"], rows.Select(r => r.Children[^1].TextContent.Trim()));
        Assert.Equal([false, true, true, true], rows.Select(r => r.ClassList.Contains("configuration-differs")));
        Assert.Equal("—", rows[2].Children[2].TextContent); // an item the left side lacks
        Assert.Contains("Production", table.Find("thead").TextContent);

        table.Render(p => p.Add(t => t.OnlyDifferences, true));
        Assert.Equal(["Review mode", "Category: News", "Category: Sport"],
            table.FindAll("[data-testid='configuration-item']").Select(c => c.TextContent));

        table.Render(p => p.Add(t => t.Rows, [Rows[0]]));
        Assert.Contains("No differences: Production and Test are configured alike", table.Find("[data-testid='configuration-alike']").TextContent);
    }
}
