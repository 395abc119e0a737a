using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Client;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Tests.Api;

/// <summary>A key made for a test: its row ID, and the ID and secret a client signs with.</summary>
public sealed record TestApiKey(long Id, string KeyId, string Secret);

/// <summary>
/// The real console (Program.cs) on a loopback port with its own database (SQLite file or PostgreSQL database, see TestDatabase), sub-applications enabled: the server
/// API is called over real HTTP, as a client would. One per test class; tests make their own applications and keys.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    public const string OwnerEmail = "owner@vod.test";
    public const string OwnerPassword = "Owner-Passw0rd!";

    private readonly WebApplicationFactory<Program> factory;
    private readonly DirectoryInfo dataDirectory;
    private readonly TestDatabase database;
    private readonly bool ownsDataDirectory;
    private bool stopped;

    /// <param name="sameDatabaseAs">Another server whose data directory (database and files) this one shares, as a
    /// second instance behind a load balancer would; null for a fresh one.</param>
    /// <param name="configure">Services a test adds to the real ones (say, an endpoint of its own).</param>
    /// <param name="settings">Configuration a test adds (say, <c>Storage:Provider=S3</c>), as environment variables would.</param>
    public ApiServer(ApiServer? sameDatabaseAs = null, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        ownsDataDirectory = sameDatabaseAs is null;
        dataDirectory = sameDatabaseAs?.dataDirectory ?? Directory.CreateTempSubdirectory("vodconsole-api-");
        database = sameDatabaseAs?.database ?? TestDatabase.For(dataDirectory.FullName);
        if (ownsDataDirectory)
        {
            database.CreateAsync().GetAwaiter().GetResult();
        }
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.ConfigureServices(services => configure?.Invoke(services));
            host.UseEnvironment("Production");
            host.UseSetting("Storage:DataDirectory", dataDirectory.FullName);
            foreach (var (key, value) in database.HostSettings)
            {
                host.UseSetting(key, value);
            }
            host.UseSetting("Seed:DemoData", "false");
            // Warnings and errors only, less the two every start-up writes: when a test fails, dotnet test prints the
            // whole run's standard output after it, and a hundred servers' start-up lines pushed the failed test's
            // name out of the CI excerpt.
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
            host.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error");
            host.UseSetting("Bootstrap:AdminEmail", OwnerEmail);
            host.UseSetting("Bootstrap:AdminPassword", OwnerPassword);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        BaseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var ownerId = Get<UserManager<ConsoleUser>>().FindByEmailAsync(OwnerEmail).GetAwaiter().GetResult()!.Id;
        OwnerId = ownerId;
        if (ownsDataDirectory)
        {
            Get<AccountService>().EnableSubApplicationsAsync(ownerId).GetAwaiter().GetResult();
        }
    }

    public string BaseUrl { get; }
    public string OwnerId { get; }
    public string DataDirectory => dataDirectory.FullName;
    public TestDatabase Database => database;

    public IServiceProvider Services => factory.Services;

    /// <summary>A service from a fresh scope declared system work, as the server's workers have.</summary>
    public T Get<T>() where T : notnull => factory.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope().ServiceProvider.GetRequiredService<T>();

    public async Task<Application> PrimaryAsync() => (await Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);

    public Task<Application> CreateApplicationAsync(string prefix = "Api") =>
        AsOwnerAsync(null, s => s.GetRequiredService<ApplicationService>().CreateSubApplicationAsync($"{prefix} {Guid.NewGuid().ToString("N")[..8]}", null));

    /// <summary>Makes a key as the owner does on the API keys page: null application = an account key.</summary>
    public Task<TestApiKey> CreateKeyAsync(long? applicationId, ApplicationAccess access = ApplicationAccess.Full) =>
        AsOwnerAsync(applicationId, async services =>
        {
            var created = await services.GetRequiredService<ApiKeyService>().CreateAsync($"Test key {Guid.NewGuid().ToString("N")[..6]}", access);
            return new TestApiKey(created.Key.Id, created.Key.KeyId, created.Secret);
        });

    /// <summary>Runs console work as the owner in a role (null: Admin), as a page would.</summary>
    public async Task<T> AsOwnerAsync<T>(long? applicationId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var catalog = (await services.GetRequiredService<RoleResolver>().LoadCatalogAsync(OwnerId))!;
        var role = applicationId is { } id ? catalog.Roles.Single(r => r.ApplicationId == id) : ConsoleRole.Admin;
        services.GetRequiredService<RoleContext>().Enter(catalog, role);
        return await work(services);
    }

    public Task AsOwnerAsync(long? applicationId, Func<IServiceProvider, Task> work) =>
        AsOwnerAsync<bool>(applicationId, async s => { await work(s); return true; });

    /// <summary>A ready media row with a small file, as an upload would leave it.</summary>
    public async Task<MediaItem> AddMediaAsync(long applicationId, string title = "Clip", long size = 1000, MediaStatus status = MediaStatus.Normal)
    {
        var key = await Get<IMediaStorage>().SaveAsync(applicationId, new MemoryStream(new byte[size]));
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = title, Status = status, ContentType = "video/mp4",
            StorageKey = key, SizeBytes = size, CreatedAt = DateTime.UtcNow, OriginalFileName = title + ".mp4",
        };
        await using var db = await Get<ApplicationData>().OpenForAsync(applicationId);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    /// <summary>An HTTP client that signs every request with the key.</summary>
    public HttpClient Client(TestApiKey key) =>
        new(new VodApiSigningHandler(new VodApiSigner(key.KeyId, key.Secret)) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(BaseUrl),
        };

    /// <summary>A client that signs nothing: for requests a test signs (or spoils) itself.</summary>
    public HttpClient PlainClient() => new() { BaseAddress = new Uri(BaseUrl) };

    /// <summary>Stops the server as a graceful shutdown does (its instance leaves), keeping its database and files.</summary>
    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await factory.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (ownsDataDirectory)
        {
            await database.DropAsync();
            await DeleteWhenReleasedAsync(dataDirectory);
        }
    }

    /// <summary>
    /// Deletes the folder once the stopped host's last file handles are gone: SQLite's last pooled connection removes
    /// its -wal/-shm files as it closes, which can race a recursive delete ("Directory not empty").
    /// </summary>
    private static async Task DeleteWhenReleasedAsync(DirectoryInfo folder)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(50))
        {
            try
            {
                folder.Delete(recursive: true);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }
}

/// <summary>One <see cref="ApiServer"/> for a test class.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Server = new ApiServer();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Reading the API's answers.</summary>
public static class ApiResponses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The error code of an error answer, or the body when it is not one (so a failing assertion shows it).</summary>
    public static async Task<string> ErrorCodeAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("Error").GetProperty("Code").GetString()!;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"(no error code: {(int)response.StatusCode} {body})";
        }
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
