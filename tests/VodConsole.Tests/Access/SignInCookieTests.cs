using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Access;

/// <summary>
/// The sign-in cookie over real HTTP: its security stamp is checked on every request, and that check never writes the
/// cookie. A page's requests run in parallel, so a cookie written by one of them could overwrite a newer one (with a new
/// stamp) that another response had just set, and sign the user out in the middle of setting up two-factor sign-in.
/// </summary>
public sealed class SignInCookieTests : IAsyncDisposable
{
    private readonly ApiServer server = new();

    public ValueTask DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task A_checked_cookie_is_left_as_it_is_whether_the_check_passes_or_fails()
    {
        var (name, value) = await OwnerCookieAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };

        using var passed = await http.SendAsync(WithCookie("/admin/audit/export.csv", name, value));
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.DoesNotContain(SetCookies(passed), c => c.StartsWith(name + "=", StringComparison.Ordinal));

        // The stamp changes (a new key, a reset password): the old cookie no longer signs in, and is not deleted either.
        var users = server.Get<UserManager<ConsoleUser>>();
        (await users.UpdateSecurityStampAsync((await users.FindByIdAsync(server.OwnerId))!)).ThrowIfFailed();
        using var refused = await http.SendAsync(WithCookie("/admin/audit/export.csv", name, value));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/Login", refused.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SetCookies(refused), c => c.StartsWith(name + "=", StringComparison.Ordinal));
    }

    private async Task<(string Name, string Value)> OwnerCookieAsync()
    {
        var user = (await server.Get<UserManager<ConsoleUser>>().FindByIdAsync(server.OwnerId))!;
        var principal = await server.Get<IUserClaimsPrincipalFactory<ConsoleUser>>().CreateAsync(user);
        var options = server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow }, IdentityConstants.ApplicationScheme);
        return (options.Cookie.Name!, options.TicketDataFormat.Protect(ticket));
    }

    private static HttpRequestMessage WithCookie(string path, string name, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{name}={value}");
        return request;
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
