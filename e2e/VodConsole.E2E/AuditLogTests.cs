using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

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
    public async Task An_application_s_log_shows_its_own_entries_to_full_access_users_and_is_not_found_for_readers()
    {
        var app = await fixture.Server.CreateSubApplicationAsync("Audited");
        var other = await fixture.Server.CreateSubApplicationAsync("Elsewhere");
        var readerEmail = await fixture.Server.CreateUserAsync("reader", isAdministrator: false);
        var reader = await fixture.Server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(readerEmail);
        await fixture.Server.Get<UserAccessService>().SetAccessAsync(reader!.Id, false, new Dictionary<long, ApplicationAccess> { [app.Id] = ApplicationAccess.ReadOnly });

        await using (var tab = await fixture.NewPageAsync())
        {
            await tab.GotoAsync($"/apps/{app.Id}/audit");
            await tab.SignInAsync();
            await Expect(tab.Page.GetByTestId("audit-target").Filter(new() { HasText = app.Name })).ToHaveCountAsync(1);
            await Expect(tab.Page.GetByTestId("audit-table")).Not.ToContainTextAsync(other.Name);
            await Expect(tab.Page.GetByTestId("audit-application-filter")).ToHaveCountAsync(0);
            await tab.ScreenshotAsync("app-audit");

            var export = await tab.Page.APIRequest.GetAsync(fixture.Server.Url($"/apps/{app.Id}/audit/export.csv?app={other.Id}"));
            var rows = (await export.TextAsync()).TrimEnd('\r', '\n').Split("\r\n")[1..];
            Assert.Equal(200, export.Status);
            Assert.NotEmpty(rows);
            Assert.All(rows, row => Assert.Equal(app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Split(',')[4]));
        }

        await using var readerTab = await fixture.NewPageAsync();
        await readerTab.GotoAsync($"/apps/{app.Id}/media");
        await readerTab.SignInAsync(readerEmail, ConsoleServer.UserPassword);
        Assert.DoesNotContain("audit", await readerTab.NavSlugsAsync());
        await readerTab.GotoAsync($"/apps/{app.Id}/audit");
        await Expect(readerTab.Page.GetByText("Not found").First).ToBeVisibleAsync();
        Assert.Equal(404, (await readerTab.Page.APIRequest.GetAsync(fixture.Server.Url($"/apps/{app.Id}/audit/export.csv"))).Status);
        Assert.Equal(404, (await readerTab.Page.APIRequest.GetAsync(fixture.Server.Url("/admin/audit/export.csv"))).Status);

        await using var stranger = await fixture.NewPageAsync();
        var signedOut = await stranger.Page.APIRequest.GetAsync(fixture.Server.Url("/admin/audit/export.csv"));
        Assert.Contains("/Account/Login", signedOut.Url); // sent to sign in, never the file
    }
}
