using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.E2E;

/// <summary>
/// The real console (Program.cs, Kestrel on a loopback port, its own SQLite file in a temporary data directory).
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string OwnerEmail = "owner@vod.test";
    public const string OwnerPassword = "Owner-Passw0rd!";
    public const string UserPassword = "User-Passw0rd!";

    private readonly WebApplicationFactory<Program> factory;
    private readonly DirectoryInfo dataDirectory;

    private ConsoleServer(WebApplicationFactory<Program> factory, DirectoryInfo dataDirectory, string baseUrl)
    {
        this.factory = factory;
        this.dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public string DataDirectory => dataDirectory.FullName;

    /// <param name="allowPrivateTargets">Lets pulls reach servers the test runs on 127.0.0.1 (off by default, as in production).</param>
    public static ConsoleServer Start(bool demoData = false, long? maxUploadBytes = null, bool allowPrivateTargets = false)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("vodconsole-e2e-");
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseStaticWebAssets(); // Production reads assets from the publish folder; tests run from the build output
            host.UseSetting("Storage:DataDirectory", dataDirectory.FullName);
            host.UseSetting("Seed:DemoData", demoData ? "true" : "false");
            host.UseSetting("Bootstrap:AdminEmail", OwnerEmail);
            host.UseSetting("Bootstrap:AdminPassword", OwnerPassword);
            host.UseSetting("Network:AllowPrivateTargets", allowPrivateTargets ? "true" : "false");
            // Warnings and errors only: a failing test's own output must not drown in every server's start-up lines.
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error"); // the PRAGMA notes, see README
            if (maxUploadBytes is { } limit)
            {
                host.UseSetting("Media:MaxUploadBytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new ConsoleServer(factory, dataDirectory, address.TrimEnd('/'));
    }

    public string Url(string path) => BaseUrl + path;

    /// <summary>A service of the running console, from a scope of its own declared system work (as its workers have).</summary>
    public T Get<T>() where T : notnull => factory.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope().ServiceProvider.GetRequiredService<T>();

    public async Task<string> OwnerIdAsync() =>
        (await Get<UserManager<ConsoleUser>>().FindByEmailAsync(OwnerEmail))!.Id;

    public async Task EnableSubApplicationsAsync() =>
        await Get<AccountService>().EnableSubApplicationsAsync(await OwnerIdAsync());

    /// <summary>A sub-application with a name no other test uses.</summary>
    public Task<Application> CreateSubApplicationAsync(string prefix = "E2E") =>
        Get<ApplicationService>().CreateSubApplicationAsync($"{prefix} {Guid.NewGuid().ToString("N")[..8]}", $"Made by a test ({prefix}).");

    /// <summary>
    /// A signed-in identity of its own, so tests that change per-user state do not disturb each other; an Administrator
    /// (every role) unless the test grants access itself.
    /// </summary>
    public async Task<string> CreateUserAsync(string prefix = "user", bool isAdministrator = true)
    {
        var email = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}@vod.test";
        var user = new ConsoleUser
        {
            UserName = email, Email = email, EmailConfirmed = true, IsAdministrator = isAdministrator, CreatedAt = DateTime.UtcNow,
        };
        var result = await Get<UserManager<ConsoleUser>>().CreateAsync(user, UserPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return email;
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        dataDirectory.Delete(recursive: true);
    }
}
