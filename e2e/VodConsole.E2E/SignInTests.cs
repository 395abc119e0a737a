using System.Text.RegularExpressions;

namespace VodConsole.E2E;

public sealed class SignInTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_then_back_to_the_page_they_asked_for()
    {
        await using var tab = await fixture.NewPageAsync();

        await tab.Page.GotoAsync(server.Url("/admin/applications"));

        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2Fadmin%2Fapplications", RegexOptions.IgnoreCase));
        await Expect(tab.Page).ToHaveTitleAsync(new Regex("Sign in"));
        await tab.ScreenshotAsync("sign-in");
        await tab.SignInAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/applications"));
        await Expect(tab.Page).ToHaveTitleAsync("Applications · Admin · VodConsole");
        await Expect(tab.Page.GetByTestId("user-name")).ToHaveTextAsync(ConsoleServer.OwnerEmail);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        await tab.Page.GetByTestId("sign-out").ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
        await tab.Page.GotoAsync(server.Url("/admin/overview"));

        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_fifth_failure_locks_the_account_which_the_audit_log_shows()
    {
        var email = await server.CreateUserAsync("lockout");
        await using var tab = await fixture.NewPageAsync();
        await tab.Page.GotoAsync(server.Url("/Account/Login"));

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await tab.SubmitSignInAsync(email, "Wrong-Passw0rd!");
            await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
        }
        await tab.SubmitSignInAsync(email, "Wrong-Passw0rd!");
        await Expect(tab.Page.GetByTestId("login-error")).ToContainTextAsync("locked");
        await tab.ScreenshotAsync("sign-in-locked");

        // Locked means locked: the right password does not get in either.
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await Expect(tab.Page.GetByTestId("login-error")).ToContainTextAsync("locked");
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));

        // An administrator sees every failure and the lockout on the audit page, newest first.
        await using var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/admin/audit");
        await admin.SignInAsync();
        await admin.Page.GetByTestId("audit-actor-filter").ClickAsync();
        await admin.Page.Locator(".mud-popover-open").GetByText(email, new() { Exact = true }).ClickAsync();
        await Expect(admin.Page.GetByTestId("audit-action")).ToHaveTextAsync(
        [
            "user.locked-out", "user.locked-out",
            "user.sign-in-failed", "user.sign-in-failed", "user.sign-in-failed", "user.sign-in-failed",
        ]);
        await Expect(admin.Page.GetByTestId("audit-target").Filter(new() { HasText = $"User {email}" })).ToHaveCountAsync(6);
        await admin.ScreenshotAsync("admin-audit-lockout");
    }

    [Fact]
    public async Task An_empty_form_is_answered_with_clear_messages()
    {
        await using var tab = await fixture.NewPageAsync();
        await tab.Page.GotoAsync(server.Url("/Account/Login"));

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(tab.Page.GetByText("Enter your email address.")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("Enter your password.")).ToBeVisibleAsync();
    }
}
