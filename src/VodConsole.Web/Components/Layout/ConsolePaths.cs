using Microsoft.AspNetCore.Components;

namespace VodConsole.Web.Components.Layout;

/// <summary>The path of the address the tab shows, without query or fragment ("/apps/15/media").</summary>
public static class ConsolePaths
{
    public static string Current(NavigationManager navigation)
    {
        var relative = navigation.ToBaseRelativePath(navigation.Uri);
        var end = relative.IndexOfAny(['?', '#']);
        return "/" + (end < 0 ? relative : relative[..end]);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="page"/> or a page below it (as NavLink's prefix match).</summary>
    public static bool IsAtOrUnder(string path, string page) =>
        path.StartsWith(page, StringComparison.OrdinalIgnoreCase) && (path.Length == page.Length || path[page.Length] == '/');
}
