using MudBlazor;

namespace VodConsole.Web.Components.Layout;

/// <summary>
/// The console's one look: a dark app bar, a blue primary colour, light surfaces. MudBlazor's default status colours
/// (#00c853, #ff9800, #2196f3, #f44336) read at 2–3.7:1 as text on chips, buttons and alerts; these darker ones keep
/// WCAG AA's 4.5:1 as text on white, on the page background and on their own light tints, and under white text.
/// </summary>
public static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#5f6b7a",
            Success = "#1b6e20",
            Warning = "#8f5200",
            Info = "#0b63b5",
            Error = "#b71c1c",
            // The default (black at 54 %) is 4.45:1 on the page background: labels of outlined fields and captions.
            TextSecondary = "rgba(0,0,0,0.66)",
            AppbarBackground = "#16202c",
            AppbarText = "#ffffff",
            Background = "#f4f6f9",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };
}
