namespace VodConsole.E2E;

public sealed class AuditLogTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Failed_and_successful_sign_ins_are_on_record_and_in_the_csv()
    {
        var email = await fixture.Server.CreateUserAsync("audited");
        await using (var stranger = await fixture.NewPageAsync())
        {
            await stranger.Page.GotoAsync(fixture.Server.Url("/Account/Login"));
            await stranger.SubmitSignInAsync(email, "not-the-password");
            await Expect(stranger.Page.GetByText("The email or password is not correct.")).ToBeVisibleAsync();
        }
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/audit");
        await tab.SignInAsync();

        await tab.Page.GetByTestId("audit-actor-filter").ClickAsync();
        await tab.Page.Locator(".mud-popover-open").GetByText(email, new() { Exact = true }).ClickAsync();

        await Expect(tab.Page.GetByTestId("audit-action")).ToHaveTextAsync(["user.sign-in-failed"]);
        await Expect(tab.Page.GetByTestId("audit-target")).ToHaveTextAsync([$"User {email}"]);
        await tab.ScreenshotAsync("admin-audit");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("audit-download").ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync())).TrimEnd('\r', '\n').Split("\r\n");
        Assert.Equal("id,at_utc,actor,role,application_id,action,target,before,after", lines[0]);
        Assert.Single(lines[1..]);
        Assert.Contains($"\"{email}\",\"\",,\"user.sign-in-failed\"", lines[1]);
    }

    [Fact]
    public async Task The_csv_export_is_not_found_outside_the_admin_role()
    {
        var app = await fixture.Server.CreateSubApplicationAsync("NoAudit");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/overview");
        await tab.SignInAsync();

        var response = await tab.Page.APIRequest.GetAsync(fixture.Server.Url($"/apps/{app.Id}/audit/export.csv"));
        await using var stranger = await fixture.NewPageAsync();
        var signedOut = await stranger.Page.APIRequest.GetAsync(fixture.Server.Url("/admin/audit/export.csv"));

        Assert.Equal(404, response.Status);
        Assert.Contains("/Account/Login", signedOut.Url); // sent to sign in, never the file
    }
}
