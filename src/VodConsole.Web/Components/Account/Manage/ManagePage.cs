using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Components.Account.Manage;

/// <summary>
/// A page of the signed-in user's own two-factor settings. Statically rendered, like the sign-in pages: turning
/// two-factor sign-in on or off, or a new key, renews the user's security stamp, and the sign-in cookie must be renewed
/// with it or the next check of the cookie signs the user out — only a request, not a circuit, can set a cookie.
/// </summary>
public abstract class ManagePage : ComponentBase
{
    [CascadingParameter] private protected HttpContext HttpContext { get; set; } = default!;
    [Inject] private protected SignInManager<ConsoleUser> SignInManager { get; set; } = default!;
    [Inject] private protected TwoFactorService TwoFactor { get; set; } = default!;
    [Inject] private protected IdentityRedirectManager RedirectManager { get; set; } = default!;
    [Inject] private RoleResolver Resolver { get; set; } = default!;
    [Inject] private RoleContext Roles { get; set; } = default!;

    /// <summary>
    /// These pages act for the signed-in user outside any console role; the scope enters that user before anything runs,
    /// so the services' checks know who asks (a scope without a caller is refused).
    /// </summary>
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this); // the HttpContext the user comes from is a cascading parameter
        if (await Resolver.LoadCatalogAsync(UserId) is { } catalog)
        {
            Roles.Enter(catalog, role: null);
        }
        await base.SetParametersAsync(ParameterView.Empty);
    }

    private protected string UserId =>
        SignInManager.UserManager.GetUserId(HttpContext.User) ?? throw new InvalidOperationException("These pages are for signed-in users.");

    private protected string Email => HttpContext.User.Identity?.Name ?? "";

    /// <summary>Renews the sign-in cookie with the user's new security stamp (this browser stays signed in, others do not).</summary>
    private protected async Task RenewSignInAsync()
    {
        if (await SignInManager.UserManager.GetUserAsync(HttpContext.User) is { } user)
        {
            await SignInManager.RefreshSignInAsync(user);
        }
    }
}
