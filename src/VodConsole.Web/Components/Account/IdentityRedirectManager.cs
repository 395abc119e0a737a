using Microsoft.AspNetCore.Components;

namespace VodConsole.Web.Components.Account;

/// <summary>Redirects from the statically rendered account pages, refusing open redirects to other hosts.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal)
            || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            uri = navigationManager.ToBaseRelativePath(uri);
        }
        navigationManager.NavigateTo(uri);
    }

    /// <summary>To a page of this site with the given query (e.g. the next sign-in step, carrying the ReturnUrl along).</summary>
    public void RedirectTo(string path, IReadOnlyDictionary<string, object?> query)
    {
        var withoutQuery = navigationManager.ToAbsoluteUri(path).GetLeftPart(UriPartial.Path);
        RedirectTo(navigationManager.GetUriWithQueryParameters(withoutQuery, query));
    }
}
