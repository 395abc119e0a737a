using System.Net;
using System.Text.Json;
using VodConsole.Client;

namespace VodConsole.E2E;

/// <summary>API keys from the page to a signed request: the key made in the browser works, and stops working when disabled or deleted.</summary>
public sealed class ApiKeysTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    private async Task<(HttpStatusCode Status, string Body)> ListMediaAsync(string keyId, string secret, long appId)
    {
        using var http = new HttpClient(new VodApiSigningHandler(new VodApiSigner(keyId, secret)) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(server.BaseUrl),
        };
        using var response = await http.GetAsync($"/api/v1/media?SubAppId={appId}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string ErrorCode(string body) => JsonDocument.Parse(body).RootElement.GetProperty("Error").GetProperty("Code").GetString()!;

    [Fact]
    public async Task A_key_created_on_the_page_signs_requests_until_it_is_disabled_and_deleted()
    {
        var app = await server.CreateSubApplicationAsync("Keys");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/overview");
        await tab.SignInAsync();
        await tab.Page.GetByTestId("nav-api-keys").ClickAsync();
        await Expect(tab.Page.GetByTestId("api-keys-empty")).ToBeVisibleAsync();

        await tab.Page.GetByTestId("api-key-create").ClickAsync();
        await tab.Page.GetByTestId("api-key-name-input").FillAsync("Nightly sync");
        await tab.Page.GetByTestId("api-key-save").ClickAsync();
        var keyId = (await tab.Page.GetByTestId("api-key-created-id").TextContentAsync())!.Trim();
        var secret = (await tab.Page.GetByTestId("api-key-secret").TextContentAsync())!.Trim();
        await tab.ScreenshotAsync("api-key-secret");
        await tab.Page.GetByTestId("api-key-secret-done").ClickAsync();
        await Expect(tab.Page.GetByTestId("api-key-secret")).ToHaveCountAsync(0);
        await Expect(tab.Page.GetByTestId("api-key-row")).ToHaveAttributeAsync("data-key-id", keyId);

        Assert.Equal(HttpStatusCode.OK, (await ListMediaAsync(keyId, secret, app.Id)).Status);
        await tab.Page.ReloadAsync();
        await tab.WaitForInteractiveAsync();
        await Expect(tab.Page.GetByTestId("api-key-last-used")).Not.ToHaveTextAsync("Never");
        Assert.DoesNotContain(secret, await tab.Page.ContentAsync());
        await tab.ScreenshotAsync("api-keys");

        await tab.Page.GetByTestId("api-key-toggle").ClickAsync();
        await tab.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("api-key-status")).ToHaveTextAsync("Disabled");
        var disabled = await ListMediaAsync(keyId, secret, app.Id);
        Assert.Equal((HttpStatusCode.Unauthorized, "AuthFailure.KeyDisabled"), (disabled.Status, ErrorCode(disabled.Body)));

        await tab.Page.GetByTestId("api-key-delete").ClickAsync();
        await tab.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("api-keys-empty")).ToBeVisibleAsync();
        var deleted = await ListMediaAsync(keyId, secret, app.Id);
        Assert.Equal((HttpStatusCode.Unauthorized, "AuthFailure.KeyNotFound"), (deleted.Status, ErrorCode(deleted.Body)));
    }

    [Fact]
    public async Task The_api_reference_page_works_under_its_own_content_security_policy_and_the_console_keeps_the_strict_one()
    {
        await using var tab = await fixture.NewPageAsync();
        var errors = new List<string>();
        tab.Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        tab.Page.PageError += (_, error) => errors.Add(error);
        await tab.GotoAsync("/admin/api-keys");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByTestId("api-reference-link")).ToHaveAttributeAsync("href", "/api/reference");

        // The viewer is a few megabytes of script: on two busy cores it may take a while to draw.
        var response = await tab.Page.GotoAsync(server.Url("/api/reference"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        var policy = (await response!.AllHeadersAsync())["content-security-policy"];
        await Expect(tab.Page.GetByText("VodConsole server API").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(tab.Page.GetByText("/api/v1/media/batch-get").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await tab.ScreenshotAsync("api-reference");
        // Scalar's developer toolbar (shown on localhost, as here) offers hosted services this console has nothing to do with.
        foreach (var hosted in new[] { "Deploy", "Generate SDK", "Share" })
        {
            await Expect(tab.Page.GetByText(hosted, new() { Exact = true })).ToHaveCountAsync(0);
        }
        var console = await tab.Page.APIRequest.GetAsync(server.Url("/admin/api-keys"));

        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self' 'nonce-", console.Headers["content-security-policy"]);
        Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
