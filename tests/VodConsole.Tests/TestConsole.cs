using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Core.Usage;

namespace VodConsole.Tests;

/// <summary>
/// The console's real services over a real SQLite file in a temporary folder, migrated and initialised the way the
/// web host does it. Each test makes its own, so tests share nothing.
/// </summary>
public sealed class TestConsole : IAsyncDisposable
{
    public const string OwnerPassword = "Owner-Passw0rd!";

    private readonly DirectoryInfo directory;
    private readonly ServiceProvider provider;
    private string? administratorId;
    /// <summary>Set once a restarted console took over the folder, which it deletes in its turn.</summary>
    private bool handedOver;

    private TestConsole(DirectoryInfo directory, ServiceProvider provider)
    {
        this.directory = directory;
        this.provider = provider;
    }

    public string DatabasePath => Path.Combine(directory.FullName, "console.db");

    public static Task<TestConsole> StartAsync(Action<IServiceCollection>? configure = null, bool initialize = true) =>
        StartInAsync(Directory.CreateTempSubdirectory("vodconsole-test-"), configure, initialize);

    /// <summary>
    /// Stops this console as a server stops (its services disposed, nothing else) and starts a new one on the same
    /// database and media folder, as the next start of the server would. Dispose the new one; this one is done.
    /// </summary>
    public async Task<TestConsole> RestartAsync(Action<IServiceCollection>? configure = null)
    {
        await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        handedOver = true;
        return await StartInAsync(directory, configure, initialize: true);
    }

    /// <summary>
    /// Another console instance on the same database and media folder, beside this one (as a second server behind a load
    /// balancer): its own services, storage object and instance ID. Dispose it before this one, which deletes the folder.
    /// </summary>
    public async Task<TestConsole> StartAnotherAsync(Action<IServiceCollection>? configure = null)
    {
        var another = await StartInAsync(directory, configure, initialize: false);
        another.handedOver = true; // the folder stays: this console deletes it
        return another;
    }

    private static async Task<TestConsole> StartInAsync(DirectoryInfo directory, Action<IServiceCollection>? configure, bool initialize)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(directory.FullName, "media")));
        services.AddVodConsoleCore($"Data Source={Path.Combine(directory.FullName, "console.db")}");
        var console = new TestConsole(directory, services.BuildServiceProvider(validateScopes: true));
        if (initialize)
        {
            await console.Get<DatabaseInitializer>().InitializeAsync();
        }
        return console;
    }

    /// <summary>
    /// A service from a fresh scope declared system work, as background workers and start-up make theirs (services are
    /// scoped, as in a Blazor circuit).
    /// </summary>
    public T Get<T>() where T : notnull => SystemScope().GetRequiredService<T>();

    /// <summary>A fresh scope declared system work (<see cref="RoleContext.EnterSystem"/>).</summary>
    public IServiceProvider SystemScope()
    {
        var scope = provider.CreateScope().ServiceProvider;
        scope.GetRequiredService<RoleContext>().EnterSystem();
        return scope;
    }

    /// <summary>A scope of its own with nobody in it: no user, no key, not system work. Everything refuses it until a test enters a caller.</summary>
    public IServiceProvider NewScope() => provider.CreateScope().ServiceProvider;

    public string MediaRoot => Path.Combine(directory.FullName, "media");

    /// <summary>
    /// Services of a scope whose role is the given application, as a circuit has after the layout resolved it; the user
    /// is an Administrator, who may use every application (listed whether or not sub-applications are enabled).
    /// </summary>
    public async Task<IServiceProvider> InApplicationAsync(long applicationId)
    {
        administratorId ??= await AddUserAsync($"admin-{Guid.NewGuid():N}@vod.test", isAdministrator: true);
        var applications = await Get<ApplicationService>().ListAsync();
        var scope = provider.CreateScope().ServiceProvider;
        var roles = applications.Select(a => ConsoleRole.For(a)).ToList();
        var role = roles.Single(r => r.ApplicationId == applicationId);
        var catalog = new RoleCatalog(administratorId, "admin", false, null, true, BillingMode.Daily, ServiceStatus.Active, roles);
        scope.GetRequiredService<RoleContext>().Enter(catalog, role);
        return scope;
    }

    /// <summary>Services of a scope in the given role (null: no role selected) for a user, with the catalog the shell loads for them.</summary>
    public async Task<IServiceProvider> AsUserAsync(string userId, long? applicationId = null)
    {
        var scope = provider.CreateScope().ServiceProvider;
        var catalog = await scope.GetRequiredService<RoleResolver>().LoadCatalogAsync(userId);
        Assert.NotNull(catalog);
        var role = applicationId is { } id ? catalog.Resolve(new RoleRoute(RoleRouteKind.Application, id)) : null;
        scope.GetRequiredService<RoleContext>().Enter(catalog, role);
        return scope;
    }

    /// <summary>Changes a storage level as an upload, delete or move does, in a context of its own.</summary>
    public async Task ChangeLevelAsync(long applicationId, UsageMetric metric, long delta)
    {
        await using var db = await OpenDbAsync();
        await Get<UsageRecorder>().ChangeLevelAsync(db, applicationId, metric, delta);
    }

    public async Task<VodDbContext> OpenDbAsync() =>
        await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();

    public async Task<string> AddUserAsync(
        string email, bool isOwner = false, string password = OwnerPassword, bool isAdministrator = false)
    {
        var user = new ConsoleUser
        {
            UserName = email, Email = email, IsOwner = isOwner, IsAdministrator = isOwner || isAdministrator,
            CreatedAt = DateTime.UtcNow,
        };
        var result = await Get<UserManager<ConsoleUser>>().CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    /// <summary>Turns sub-applications on as the owner does, and returns the owner's user ID.</summary>
    public async Task<string> EnableSubApplicationsAsync()
    {
        var ownerId = await AddUserAsync($"owner-{Guid.NewGuid():N}@vod.test", isOwner: true);
        await Get<AccountService>().EnableSubApplicationsAsync(ownerId);
        return ownerId;
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync(); // a second time (after a restart) does nothing
        if (handedOver)
        {
            return;
        }
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
