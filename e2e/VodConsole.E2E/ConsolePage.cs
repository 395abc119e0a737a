using System.Text.RegularExpressions;

namespace VodConsole.E2E;

/// <summary>A browser tab on the console, with the steps a person takes: sign in, switch role, read the menu.</summary>
public sealed class ConsolePage(IPage page, ConsoleServer? server, string baseUrl) : IAsyncDisposable
{
    public ConsolePage(IPage page, ConsoleServer server) : this(page, server, server.BaseUrl)
    {
    }

    public IPage Page { get; } = page;

    /// <summary>The test server the tab works on; a tab that works through another address (a proxy) has none.</summary>
    public ConsoleServer Server => server ?? throw new InvalidOperationException($"This tab works through {baseUrl}, not on one test server.");

    /// <summary>A path on the address the tab works through.</summary>
    public string Url(string path) => baseUrl + path;

    public ILocator CurrentRole => Page.GetByTestId("current-role");
    public ILocator Switcher => Page.GetByTestId("role-switcher");
    public ILocator NavItems => Page.Locator("[data-testid^='nav-']");

    /// <summary>Opens a page and waits until it can be used: the console connected, or a sign-in or account page shown.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(Url(path));
        await Expect(Page.Locator(".console-shell[data-interactive='true'], .account-page").First).ToBeAttachedAsync();
    }

    /// <summary>
    /// Chooses a file in an InputFile once Blazor's script has hooked it (it marks the element when it does): a file
    /// chosen before that is dropped without a word, which a slow circuit start made happen now and then.
    /// </summary>
    public async Task ChooseFileAsync(ILocator input, string path)
    {
        await input.EvaluateAsync("(element, timeout) => new Promise((resolve, reject) => { const start = Date.now(); "
            + "(function check() { if (element._blazorInputFileNextFileId !== undefined) resolve(); "
            + "else if (Date.now() - start > timeout) reject(new Error('InputFile was never initialised')); else requestAnimationFrame(check); })(); })", 15000);
        await input.SetInputFilesAsync(path);
    }

    /// <summary>Clicks only work once the circuit is connected; the shell marks that.</summary>
    public Task WaitForInteractiveAsync() =>
        Expect(Page.Locator(".console-shell[data-interactive='true']")).ToBeAttachedAsync();

    public async Task SignInAsync(string email = ConsoleServer.OwnerEmail, string password = ConsoleServer.OwnerPassword)
    {
        if (!Page.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase))
        {
            await Page.GotoAsync(Url("/Account/Login"));
        }
        await SubmitSignInAsync(email, password);
        await Expect(Page).Not.ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
        await WaitForInteractiveAsync();
    }

    public async Task SubmitSignInAsync(string email, string password)
    {
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>The second sign-in step: a code from the authenticator app.</summary>
    public async Task SubmitAuthenticatorCodeAsync(string code)
    {
        await Page.GetByLabel("Authenticator code").FillAsync(code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
    }

    /// <summary>Both sign-in steps for a user with two-factor sign-in on; the code is computed from the key just before it is typed.</summary>
    public async Task SignInWithAuthenticatorAsync(string email, string key, bool rememberBrowser = false)
    {
        await SubmitSignInAsync(email, ConsoleServer.UserPassword);
        await Page.GetByLabel("Don't ask for a code again on this browser").SetCheckedAsync(rememberBrowser);
        await SubmitAuthenticatorCodeAsync(Totp.Code(key));
    }

    /// <summary>Signs out with the console's sign-out button (from an account page, back to the console first).</summary>
    public async Task SignOutAsync()
    {
        if (!await Page.GetByTestId("sign-out").IsVisibleAsync())
        {
            await GotoAsync("/");
        }
        await Page.GetByTestId("sign-out").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    /// <summary>Opens the role dropdown and picks a role by key ("admin" or an application ID).</summary>
    public async Task SwitchRoleAsync(string roleKey)
    {
        await Switcher.ClickAsync();
        await Page.GetByTestId($"role-option-{roleKey}").ClickAsync();
        var overview = roleKey == "admin" ? "/admin/overview" : $"/apps/{roleKey}/overview";
        await Expect(Page).ToHaveURLAsync(Url(overview));
    }

    public async Task<IReadOnlyList<string>> NavSlugsAsync()
    {
        await Expect(NavItems.First).ToBeVisibleAsync();
        var ids = new List<string>();
        foreach (var item in await NavItems.AllAsync())
        {
            ids.Add((await item.GetAttributeAsync("data-testid"))!["nav-".Length..]);
        }
        return ids;
    }

    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("E2E_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        }
    }

    public async ValueTask DisposeAsync() => await Page.Context.DisposeAsync();
}
