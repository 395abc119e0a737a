namespace VodConsole.E2E;

public sealed class SecurityHeadersTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Every_page_carries_the_security_headers()
    {
        await using var tab = await fixture.NewPageAsync();

        var response = await tab.Page.GotoAsync(fixture.Server.Url("/Account/Login"));
        var headers = await response!.AllHeadersAsync();

        Assert.Contains("script-src 'self' 'nonce-", headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
    }

    [Fact]
    public async Task The_console_works_under_its_content_security_policy()
    {
        var app = await fixture.Server.CreateSubApplicationAsync("Policy");
        await using var tab = await fixture.NewPageAsync();
        var violations = new List<string>();
        tab.Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                violations.Add(message.Text);
            }
        };
        tab.Page.PageError += (_, error) => violations.Add(error);

        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();
        await Expect(tab.Page.Locator("svg").First).ToBeVisibleAsync(); // the overview's chart drew
        foreach (var page in new[] { "media", "upload", "statistics", "callbacks", "settings", "api-keys", "audit" })
        {
            await tab.GotoAsync($"/apps/{app.Id}/{page}"); // full loads: the import map and page scripts run each time
            await Expect(tab.Page.GetByTestId($"nav-{page}")).ToBeVisibleAsync();
        }
        await tab.Page.GetByTestId($"nav-upload").ClickAsync();
        await Expect(tab.Page.GetByTestId("upload-drop-zone")).ToBeVisibleAsync();

        Assert.Empty(violations);
    }
}
