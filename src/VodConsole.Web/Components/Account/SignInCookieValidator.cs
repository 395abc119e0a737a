using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VodConsole.Core.Data;

namespace VodConsole.Web.Components.Account;

/// <summary>
/// Checks the sign-in cookie's security stamp on every request (see <c>ValidationInterval</c>), but never writes the
/// cookie while doing so. Identity's validator rewrites the cookie on every check it passes and deletes it on every
/// check it fails; with a check on every request, a page's parallel requests (scripts, fonts, a form post) then race the
/// one response that renews the cookie with a new stamp (two-factor set-up): whichever answer the browser reads last
/// wins, and an older stamp's cookie, or a deletion, signed the user out. Now only sign-in, renewal and sign-out set it;
/// a stale cookie is refused on each request until one of them replaces it.
/// </summary>
internal sealed class SignInCookieValidator(
    IOptions<SecurityStampValidatorOptions> options, SignInManager<ConsoleUser> signInManager, ILoggerFactory logger)
    : SecurityStampValidator<ConsoleUser>(options, signInManager, logger)
{
    public override async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || await VerifySecurityStamp(context.Principal) is null)
        {
            context.RejectPrincipal();
        }
    }
}
