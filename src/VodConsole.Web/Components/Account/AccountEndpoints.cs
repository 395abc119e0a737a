using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using VodConsole.Core.Data;

namespace VodConsole.Web.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>Endpoints the account pages post to (sign-out must be a POST with an antiforgery token).</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async ([FromServices] SignInManager<ConsoleUser> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
        return account;
    }
}
