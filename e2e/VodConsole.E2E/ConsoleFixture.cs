[assembly: AssemblyFixture(typeof(VodConsole.E2E.ConsoleFixture))]

namespace VodConsole.E2E;

/// <summary>
/// One console server (sub-applications enabled) and one Chromium for the whole test assembly; every test gets its
/// own browser context, and makes the applications and users it needs.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public ConsoleServer Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Two cores run the server, the browser and the tests: give assertions room, they return as soon as they hold.
        SetDefaultExpectTimeout(15_000);
        Server = ConsoleServer.Start();
        await Server.EnableSubApplicationsAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Debian's chromium (./test.sh installs it); CHROMIUM_PATH points elsewhere when needed.</summary>
    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {path}. Run ./test.sh (it installs Debian's chromium), or 'apt-get install -y chromium'.");
        }
        return path;
    }

    public async Task<ConsolePage> NewPageAsync(ConsoleServer? server = null) => new(await NewTabAsync(), server ?? Server);

    /// <summary>A tab of a browser context of its own on a console at another address (a proxy, a server process).</summary>
    public async Task<ConsolePage> NewPageAsync(string baseUrl) => new(await NewTabAsync(), null, baseUrl);

    private async Task<IPage> NewTabAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 860 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>
/// A console of one test class's own, for classes that make many applications: an account holds at most 50
/// sub-applications, which the whole assembly's shared console would otherwise run out of.
/// </summary>
public sealed class OwnConsole : IAsyncLifetime
{
    public ConsoleServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = ConsoleServer.Start();
        await Server.EnableSubApplicationsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
