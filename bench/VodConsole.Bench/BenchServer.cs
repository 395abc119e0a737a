using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Roles;

namespace VodConsole.Bench;

/// <summary>
/// The real console (Program.cs, its whole pipeline and workers, Kestrel on a loopback port) in the bench's process,
/// as the e2e tests start it, so a bench can add a route of its own next to it (the stock way to compare with).
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string OwnerEmail = "owner@bench.test";
    public const string OwnerPassword = "Owner-Passw0rd!";

    private readonly WebApplicationFactory<Program> factory;

    /// <param name="databasePath">An existing database to serve instead of a new one in the data directory.</param>
    public BenchServer(string dataDirectory, bool demoData = false, string? databasePath = null, Action<IServiceCollection>? configure = null)
    {
        DataDirectory = dataDirectory;
        // The factory finds the console's content root from a test assembly's attribute; the bench names it instead.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VODCONSOLE_WEB",
            Path.Combine(MediaBench.RepositoryRoot(), "src", "VodConsole.Web"));
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseStaticWebAssets(); // Production reads assets from the publish folder; the bench runs from the build output
            host.UseSetting("Storage:DataDirectory", dataDirectory);
            host.UseSetting("Seed:DemoData", demoData ? "true" : "false");
            host.UseSetting("Bootstrap:AdminEmail", OwnerEmail);
            host.UseSetting("Bootstrap:AdminPassword", OwnerPassword);
            if (databasePath is not null)
            {
                host.UseSetting("ConnectionStrings:Default", new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString());
            }
            // Warnings only: the server's start-up chatter would bury the bench's tables.
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
            host.ConfigureServices(services => configure?.Invoke(services));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        BaseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public string BaseUrl { get; }
    public string DataDirectory { get; }

    /// <summary>A service from a scope of its own declared system work, as the console's workers have.</summary>
    public T Get<T>() where T : notnull =>
        factory.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope().ServiceProvider.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
