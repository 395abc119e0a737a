using System.Text.RegularExpressions;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;

namespace VodConsole.E2E;

/// <summary>
/// Two-factor sign-in as a person uses it, with the test as the authenticator app: it reads the key from the page and
/// computes the codes (Totp). A code is computed right before it is typed; a 30-second step ending in between does no
/// harm, because Identity accepts the codes of two steps either side of now.
/// </summary>
public sealed class TwoFactorTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    [Fact]
    public async Task A_user_enrols_an_authenticator_app_then_signs_in_with_a_code_or_once_with_a_recovery_code()
    {
        var email = await server.CreateUserAsync("enrol");
        await using var tab = await fixture.NewPageAsync();
        await tab.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.BaseUrl });
        var errors = CollectBrowserErrors(tab.Page);
        await tab.GotoAsync("/");
        await tab.SignInAsync(email, ConsoleServer.UserPassword);

        // From the user menu to the settings page: off, with a way to set it up.
        await tab.Page.GetByTestId("two-factor-link").ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/account/two-factor"));
        await Expect(tab.Page).ToHaveTitleAsync("Two-factor sign-in · VodConsole");
        await Expect(tab.Page.GetByTestId("two-factor-status")).ToHaveAttributeAsync("data-enabled", "false");
        await tab.ScreenshotAsync("two-factor-off");
        await tab.Page.GetByTestId("two-factor-setup").ClickAsync();

        // The key, as text in groups and as a QR code that loaded under the content security policy.
        var shownKey = (await tab.Page.GetByTestId("authenticator-key").TextContentAsync())!.Trim();
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", shownKey);
        var qr = tab.Page.GetByTestId("authenticator-qr");
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<int>("img => img.naturalWidth") > 100);
        await tab.Page.GetByTestId("authenticator-key-copy").ClickAsync();
        await Expect(tab.Page.Locator("[data-copy-status='authenticator-key']")).ToHaveTextAsync("Copied");
        Assert.Equal(shownKey.Replace(" ", "").ToUpperInvariant(), await tab.Page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await tab.ScreenshotAsync("two-factor-setup");

        await tab.Page.GetByLabel("Code from the app").FillAsync(Totp.WrongCode(shownKey));
        await tab.Page.GetByTestId("two-factor-verify").ClickAsync();
        await Expect(tab.Page.GetByTestId("two-factor-error")).ToHaveTextAsync(TwoFactorService.WrongCodeMessage);
        await tab.Page.GetByLabel("Code from the app").FillAsync(Totp.Code(shownKey));
        await tab.Page.GetByTestId("two-factor-verify").ClickAsync();

        // On: ten recovery codes, shown once, to copy or download.
        await Expect(tab.Page.GetByTestId("two-factor-enabled")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("recovery-code")).ToHaveCountAsync(10);
        var recoveryCodes = (await tab.Page.GetByTestId("recovery-code").AllTextContentsAsync()).Select(c => c.Trim()).ToList();
        Assert.All(recoveryCodes, code => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", code));
        await tab.ScreenshotAsync("two-factor-recovery-codes");
        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("recovery-codes-download").ClickAsync());
        Assert.Equal("vodconsole-recovery-codes.txt", download.SuggestedFilename);
        Assert.Equal(recoveryCodes, (await File.ReadAllLinesAsync(await download.PathAsync())).ToList());
        await tab.Page.GetByTestId("two-factor-done").ClickAsync();
        await Expect(tab.Page.GetByTestId("two-factor-status")).ToHaveAttributeAsync("data-enabled", "true");
        await Expect(tab.Page.GetByTestId("recovery-codes-left")).ToHaveTextAsync("10 recovery codes left.");
        await tab.ScreenshotAsync("two-factor-on");

        // Signing in now takes a code too; wrong, empty and mistyped codes are answered clearly; the ReturnUrl is kept.
        await tab.SignOutAsync();
        await tab.GotoAsync("/admin/applications");
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa\\?ReturnUrl=%2Fadmin%2Fapplications", RegexOptions.IgnoreCase));
        await Expect(tab.Page).ToHaveTitleAsync("Two-factor sign-in · VodConsole");
        await tab.SubmitAuthenticatorCodeAsync("");
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync("Enter the 6-digit code your authenticator app shows.");
        await tab.SubmitAuthenticatorCodeAsync("12ab56");
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync("The code has digits only: enter the 6 digits your authenticator app shows.");
        await tab.SubmitAuthenticatorCodeAsync(Totp.WrongCode(shownKey));
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync(TwoFactorService.WrongCodeMessage);
        await tab.ScreenshotAsync("two-factor-sign-in");
        await tab.SubmitAuthenticatorCodeAsync(Totp.Code(shownKey));
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/applications"));
        await tab.WaitForInteractiveAsync();
        await Expect(tab.Page.GetByTestId("user-name")).ToHaveTextAsync(email);

        // A recovery code instead of the app: it works once, and "/" still opens the role last worked in.
        await tab.SignOutAsync();
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await tab.Page.GetByTestId("use-recovery-code").ClickAsync();
        await tab.Page.GetByLabel("Recovery code").FillAsync(recoveryCodes[0].ToLowerInvariant());
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/overview"));
        await tab.WaitForInteractiveAsync();

        await tab.SignOutAsync();
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await tab.Page.GetByTestId("use-recovery-code").ClickAsync();
        await tab.Page.GetByLabel("Recovery code").FillAsync(recoveryCodes[0]);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync("That recovery code is not correct, or it has been used already.");

        Assert.Empty(errors);
        var entries = await EntriesAsync(email);
        Assert.Equal(
            [
                AuditActions.TwoFactorSignInFailed, AuditActions.RecoveryCodeSignIn, AuditActions.TwoFactorSignIn,
                AuditActions.TwoFactorSignInFailed, AuditActions.TwoFactorEnabled, AuditActions.SignIn,
            ],
            entries.Select(e => e.Action));
        Assert.Equal("{\"Method\":\"recovery code\",\"RecoveryCodesLeft\":9}", entries[1].After);
        var recorded = string.Join('\n', entries.Select(e => e.Before + e.After));
        Assert.DoesNotContain(shownKey.Replace(" ", ""), recorded, StringComparison.OrdinalIgnoreCase);
        Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, recorded));
    }

    [Fact]
    public async Task Five_wrong_codes_at_the_second_step_lock_the_account_whichever_kind_they_are()
    {
        var (email, key) = await EnrolledUserAsync();
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/Account/Login");
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await tab.SubmitAuthenticatorCodeAsync(Totp.WrongCode(key));
            await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync(TwoFactorService.WrongCodeMessage);
        }
        await tab.Page.GetByTestId("use-recovery-code").ClickAsync();
        await tab.Page.GetByLabel("Recovery code").FillAsync("AAAAA-AAAAA");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("login-error")).ToContainTextAsync("not correct");
        await tab.Page.GetByLabel("Recovery code").FillAsync("BBBBB-BBBBB");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync(SignInMessages.LockedOut);
        await tab.ScreenshotAsync("two-factor-locked");

        // Locked means locked: the right code does not get in either.
        await tab.GotoAsync("/Account/LoginWith2fa");
        await tab.SubmitAuthenticatorCodeAsync(Totp.Code(key));
        await Expect(tab.Page.GetByTestId("login-error")).ToHaveTextAsync(SignInMessages.LockedOut);
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa", RegexOptions.IgnoreCase));

        Assert.Equal(
            [
                AuditActions.LockedOut, AuditActions.LockedOut, AuditActions.TwoFactorSignInFailed, AuditActions.TwoFactorSignInFailed,
                AuditActions.TwoFactorSignInFailed, AuditActions.TwoFactorSignInFailed, AuditActions.TwoFactorEnabled,
            ],
            (await EntriesAsync(email)).Select(e => e.Action));
    }

    [Fact]
    public async Task Resetting_the_key_needs_a_proof_and_a_new_setup_and_turning_it_off_needs_the_code_or_password()
    {
        var (email, oldKey) = await EnrolledUserAsync();
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/account/two-factor");
        await tab.SignInWithAuthenticatorAsync(email, oldKey);
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/account/two-factor"));

        await tab.Page.GetByTestId("two-factor-reset").ClickAsync();
        await tab.Page.GetByLabel("Code from your authenticator app, or your password").FillAsync("Wrong-Passw0rd!");
        await tab.Page.GetByTestId("two-factor-reset-confirm").ClickAsync();
        await Expect(tab.Page.GetByTestId("two-factor-error")).ToHaveTextAsync(TwoFactorService.WrongProofMessage);
        await tab.ScreenshotAsync("two-factor-reset");
        await tab.Page.GetByLabel("Code from your authenticator app, or your password").FillAsync(ConsoleServer.UserPassword);
        await tab.Page.GetByTestId("two-factor-reset-confirm").ClickAsync();

        await Expect(tab.Page).ToHaveURLAsync(server.Url("/account/two-factor/setup"));
        var newKey = (await tab.Page.GetByTestId("authenticator-key").TextContentAsync())!.Trim();
        Assert.NotEqual(oldKey.ToLowerInvariant(), newKey.Replace(" ", ""));
        await tab.Page.GetByLabel("Code from the app").FillAsync(Totp.Code(newKey));
        await tab.Page.GetByTestId("two-factor-verify").ClickAsync();
        await Expect(tab.Page.GetByTestId("recovery-code")).ToHaveCountAsync(10);
        await tab.Page.GetByTestId("two-factor-done").ClickAsync();

        // Turning it off needs a proof too; afterwards the console opens as before.
        await tab.Page.GetByTestId("two-factor-disable").ClickAsync();
        await tab.Page.GetByLabel("Code from your authenticator app, or your password").FillAsync(Totp.WrongCode(newKey));
        await tab.Page.GetByTestId("two-factor-disable-confirm").ClickAsync();
        await Expect(tab.Page.GetByTestId("two-factor-error")).ToHaveTextAsync(TwoFactorService.WrongProofMessage);
        await tab.Page.GetByLabel("Code from your authenticator app, or your password").FillAsync(Totp.Code(newKey));
        await tab.Page.GetByTestId("two-factor-disable-confirm").ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/account/two-factor?done=off"));
        await Expect(tab.Page.GetByTestId("two-factor-status")).ToHaveAttributeAsync("data-enabled", "false");
        await Expect(tab.Page.GetByTestId("two-factor-done")).ToHaveTextAsync("Two-factor sign-in is off.");
        await tab.Page.GetByTestId("back-to-console").ClickAsync();
        await tab.WaitForInteractiveAsync();
        await Expect(tab.Page.GetByTestId("user-name")).ToHaveTextAsync(email);

        Assert.Equal(
            [
                AuditActions.TwoFactorDisabled, AuditActions.TwoFactorEnabled, AuditActions.AuthenticatorReset,
                AuditActions.TwoFactorSignIn, AuditActions.TwoFactorEnabled,
            ],
            (await EntriesAsync(email)).Select(e => e.Action));
    }

    [Fact]
    public async Task A_remembered_browser_skips_the_code_until_the_user_forgets_it()
    {
        var (email, key) = await EnrolledUserAsync();
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/Account/Login");
        await tab.SignInWithAuthenticatorAsync(email, key, rememberBrowser: true);
        await tab.WaitForInteractiveAsync();

        await tab.SignOutAsync();
        await tab.SignInAsync(email, ConsoleServer.UserPassword); // no code asked
        await tab.GotoAsync("/account/two-factor");
        await tab.Page.GetByTestId("two-factor-forget-browser").ClickAsync();
        await Expect(tab.Page.GetByTestId("two-factor-forget-browser")).ToHaveCountAsync(0);

        await tab.SignOutAsync();
        await tab.SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa", RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task The_two_factor_pages_are_for_signed_in_users_only()
    {
        await using var tab = await fixture.NewPageAsync();

        await tab.GotoAsync("/account/two-factor/setup");

        await Expect(tab.Page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2Faccount%2Ftwo-factor%2Fsetup", RegexOptions.IgnoreCase));
        await tab.GotoAsync("/Account/LoginWith2fa");
        await Expect(tab.Page.GetByTestId("sign-in-expired")).ToBeVisibleAsync();
    }

    /// <summary>A user with two-factor sign-in on, set up through the service (the enrolment test does it through the pages).</summary>
    private async Task<(string Email, string Key)> EnrolledUserAsync()
    {
        var email = await server.CreateUserAsync("2fa");
        var userId = (await server.Get<Microsoft.AspNetCore.Identity.UserManager<Core.Data.ConsoleUser>>().FindByEmailAsync(email))!.Id;
        var setup = await server.Get<TwoFactorService>().SetupAsync(userId);
        await server.Get<TwoFactorService>().EnableAsync(userId, Totp.Code(setup.SharedKey));
        return (email, setup.SharedKey);
    }

    /// <summary>The user's entries in the audit log, newest first.</summary>
    private async Task<IReadOnlyList<AuditEntry>> EntriesAsync(string email) =>
        (await server.Get<AuditLog>().PageAsync(new AuditQuery(Actor: email), null)).Entries;

    /// <summary>Script errors and content security policy violations the browser reports.</summary>
    private static List<string> CollectBrowserErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
