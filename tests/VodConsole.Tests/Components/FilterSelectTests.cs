using Bunit;
using VodConsole.Web.Components.Shared;

namespace VodConsole.Tests.Components;

public sealed class FilterSelectTests : MudTestContext
{
    private static readonly FilterOption<int?>[] Options = [new(null, "All sizes"), new(1, "Small"), new(2, "Large")];

    [Fact]
    public void The_current_value_is_selected_and_the_label_names_the_select()
    {
        var select = Render<FilterSelect<int?>>(p => p.Add(s => s.Label, "Size").Add(s => s.Options, Options).Add(s => s.Value, 2));

        var element = select.Find("select");
        Assert.Equal(["All sizes", "Small", "Large"], element.QuerySelectorAll("option").Select(o => o.TextContent));
        Assert.Equal("2", element.GetAttribute("value"));
        Assert.Equal(element.Id, select.Find("label").GetAttribute("for"));
        Assert.Equal("Size", select.Find("label").TextContent);
    }

    [Fact]
    public async Task Choosing_an_option_reports_its_value_and_an_unknown_one_reports_nothing()
    {
        var chosen = new List<int?>();
        var select = Render<FilterSelect<int?>>(p => p.Add(s => s.Label, "Size").Add(s => s.Options, Options).Add(s => s.Value, 1)
            .Add(s => s.ValueChanged, value => chosen.Add(value)));

        await select.FindAndChangeAsync("select", "0");
        await select.FindAndChangeAsync("select", "7");
        await select.FindAndChangeAsync("select", "2");

        Assert.Equal([null, 2], chosen);
    }
}
