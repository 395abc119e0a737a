using System.Net;
using System.Text.RegularExpressions;

namespace VodConsole.CircuitDriver;

/// <summary>Signs in to the console as a browser does: the login form with its antiforgery token, the cookie kept by the client.</summary>
public static partial class ConsoleSignIn
{
    /// <summary>A client whose handler keeps <paramref name="cookies"/> and does not follow redirects.</summary>
    public static HttpClient Client(Uri baseUri, CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };

    public static async Task SignInAsync(HttpClient http, string email, string password, CancellationToken ct = default)
    {
        var html = await http.GetStringAsync("/Account/Login", ct);
        var token = TokenPattern().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException("No antiforgery token on /Account/Login");
        }
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await http.PostAsync("/Account/Login", form, ct);
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
