using MudBlazor;

namespace VodConsole.Web.Components.Layout;

/// <summary>The console's one look: a dark app bar, a blue primary colour, light surfaces.</summary>
public static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#5f6b7a",
            AppbarBackground = "#16202c",
            AppbarText = "#ffffff",
            Background = "#f4f6f9",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };
}
