using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace VodConsole.Tests.Components;

/// <summary>
/// Pages live in feature folders, and sign-in is required by the project's root <c>_Imports.razor</c>: a page moved or
/// added anywhere must still refuse anonymous visitors unless it says otherwise on purpose.
/// </summary>
public sealed class PageAuthorizationTests
{
    // The sign-in pages and the error page are the only ones a visitor may see without signing in.
    private static readonly string[] AnonymousPages =
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Error"];

    private static IEnumerable<(Type Page, string Route)> Pages() =>
        typeof(VodConsole.Web.Components.App).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>()
                .Select(route => (type, route.Template)));

    [Fact]
    public void Every_page_but_sign_in_and_error_requires_a_signed_in_user()
    {
        var pages = Pages().ToList();
        Assert.Contains(pages, page => page.Route == "/apps/{AppId:long}/media");

        foreach (var (page, route) in pages)
        {
            var anonymous = page.IsDefined(typeof(AllowAnonymousAttribute), false);
            var authorized = page.IsDefined(typeof(AuthorizeAttribute), false);
            if (AnonymousPages.Contains(route, StringComparer.OrdinalIgnoreCase))
                Assert.True(anonymous, $"{route} ({page.Name}) should be open to visitors who are not signed in.");
            else
                Assert.True(authorized && !anonymous, $"{route} ({page.Name}) must require a signed-in user.");
        }
    }
}
