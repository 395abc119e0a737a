using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Tests.Api;
using VodConsole.Tests.Roles;

namespace VodConsole.Tests.Instances;

/// <summary>
/// Two real console hosts (Program.cs on loopback ports) on one data directory, as two instances behind a load balancer:
/// the health endpoints a balancer probes, and the Data Protection key ring they share through the database.
/// </summary>
public sealed class HealthAndSharedKeysTests : IAsyncDisposable
{
    private readonly ApiServer first = new();
    private readonly ApiServer second;

    public HealthAndSharedKeysTests() => second = new ApiServer(sameDatabaseAs: first);

    public async ValueTask DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    private static HttpClient NoRedirects(ApiServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };

    [Fact]
    public async Task Live_and_ready_answer_anonymously_and_ready_fails_when_storage_is_unreachable()
    {
        using var http = NoRedirects(first);
        // On PostgreSQL the change feed's listener connects beside the start-up; until then ready says "Degraded".
        var feed = first.Services.GetRequiredService<IChangeFeed>();
        await OpenTab.WaitUntilAsync(() => feed.IsListening, TimeSpan.FromSeconds(10), "the change feed to listen");
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var get = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("Healthy", await get.Content.ReadAsStringAsync());
            Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            using var post = await http.PostAsync(path, null);
            Assert.NotEqual(HttpStatusCode.OK, post.StatusCode); // GET and HEAD only
        }
        // The probe leaves nothing behind.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(first.DataDirectory, "media"), "*", SearchOption.AllDirectories));

        // The media folder becomes unreachable (here: a file stands where the folder was): not ready, still alive.
        Directory.Delete(Path.Combine(first.DataDirectory, "media"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(first.DataDirectory, "media"), "not a folder");
        try
        {
            using var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
            using var live = await http.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            File.Delete(Path.Combine(first.DataDirectory, "media"));
        }
    }

    [Fact]
    public async Task A_payload_and_a_sign_in_cookie_written_by_one_instance_are_read_by_the_other()
    {
        // An encrypted secret (as API key secrets and signing keys are kept).
        var secret = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("VodConsole.Tests.Shared").Protect("the secret");
        Assert.Equal("the secret", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("VodConsole.Tests.Shared").Unprotect(secret));

        // The owner's sign-in cookie as the first instance writes it at sign-in ...
        var user = (await first.Get<UserManager<ConsoleUser>>().FindByIdAsync(first.OwnerId))!;
        var principal = await first.Get<IUserClaimsPrincipalFactory<ConsoleUser>>().CreateAsync(user);
        var cookie = first.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow }, IdentityConstants.ApplicationScheme);
        var value = cookie.TicketDataFormat.Protect(ticket);

        // ... opens an Administrator's export on the second instance; without it the second sends the caller to sign in.
        using var http = NoRedirects(second);
        using var anonymous = await http.GetAsync("/admin/audit/export.csv");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit/export.csv");
        request.Headers.Add("Cookie", $"{cookie.Cookie.Name}={value}");
        using var signedIn = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("text/csv", signedIn.Content.Headers.ContentType?.MediaType);
    }
}
