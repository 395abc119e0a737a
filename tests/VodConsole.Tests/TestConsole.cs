using Microsoft.AspNetCore.Identity;
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
/// The console's real services over a real database (a SQLite file in a temporary folder, or a PostgreSQL database of
/// its own: <see cref="TestDatabase"/>), migrated and initialised the way the web host does it. Each test makes its own,
/// so tests share nothing.
/// </summary>
public sealed class TestConsole : IAsyncDisposable
{
    public const string OwnerPassword = "Owner-Passw0rd!";

    private readonly DirectoryInfo directory;
    private readonly ServiceProvider provider;
    private string? administratorId;
    /// <summary>Set once a restarted console took over the folder, which it deletes in its turn.</summary>
    private bool handedOver;
    /// <summary>Set for a second instance on another console's folder: that console deletes the folder, not this one.</summary>
    private bool borrowsDirectory;

    private TestConsole(DirectoryInfo directory, TestDatabase database, ServiceProvider provider)
    {
        this.directory = directory;
        Database = database;
        this.provider = provider;
    }

    /// <summary>The SQLite file (SQLite runs only: tests of the file itself carry the SqliteOnly trait).</summary>
    public string DatabasePath => Path.Combine(directory.FullName, "console.db");

    public TestDatabase Database { get; }

    /// <param name="onS3">Media in a folder of its own of the test S3 server (<see cref="S3TestServer"/>) instead of local disk.</param>
    public static async Task<TestConsole> StartAsync(Action<IServiceCollection>? configure = null, bool initialize = true, bool onS3 = false)
    {
        var directory = Directory.CreateTempSubdirectory("vodconsole-test-");
        var database = TestDatabase.For(directory.FullName);
        await database.CreateAsync();
        return await StartInAsync(directory, database, configure, initialize, onS3);
    }

    /// <summary>Whether media live on the test S3 server; a restart keeps it (and the same folder of the bucket).</summary>
    public bool OnS3 { get; private init; }

    /// <summary>
    /// Stops this console as a server stops (its services disposed, nothing else) and starts a new one on the same
    /// database and media folder, as the next start of the server would. Dispose the new one; this one is done.
    /// </summary>
    public async Task<TestConsole> RestartAsync(Action<IServiceCollection>? configure = null)
    {
        await provider.DisposeAsync();
        Database.ReleaseConnections();
        handedOver = true;
        return await StartInAsync(directory, Database, configure, initialize: true, OnS3);
    }

    /// <summary>
    /// <summary>
    /// Another console instance on the same database and media folder, beside this one (as a second server behind a load
    /// balancer): its own services, storage object and instance ID; <paramref name="configure"/> gives it what it needs,
    /// such as a change feed across instances. Dispose it before this one, which deletes the folder and the database.
    /// </summary>
    public async Task<TestConsole> StartAnotherAsync(Action<IServiceCollection>? configure = null)
    {
        var another = await StartInAsync(directory, Database, configure, initialize: false, OnS3);
        another.borrowsDirectory = true;
        return another;
    }

    private static async Task<TestConsole> StartInAsync(
        DirectoryInfo directory, TestDatabase database, Action<IServiceCollection>? configure, bool initialize, bool onS3)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        if (onS3)
        {
            var s3 = await S3TestServer.GetAsync();
            services.AddSingleton<IMediaStorage>(sp =>
                s3.Storage(directory.Name + "/", Path.Combine(directory.FullName, "media-copies"), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(directory.FullName, "media")));
        }
        services.AddVodConsoleCore(database.Options);
        var console = new TestConsole(directory, database, services.BuildServiceProvider(validateScopes: true)) { OnS3 = onS3 };
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

    /// <summary>
    /// Makes the database itself refuse every <paramref name="operation"/> (INSERT, UPDATE, DELETE) on a table, with a
    /// trigger in the engine's own dialect: for tests of what a failed save leaves behind.
    /// </summary>
    public async Task RefuseInDatabaseAsync(string table, string operation)
    {
        await using var db = await OpenDbAsync();
        var name = $"refuse_{table}_{operation}".ToLowerInvariant();
        await db.Database.ExecuteSqlRawAsync(Database.Options.IsSqlite
            ? $"CREATE TRIGGER {name} BEFORE {operation} ON \"{table}\" BEGIN SELECT RAISE(ABORT, 'refused'); END;"
            : $"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
                CREATE TRIGGER {name} BEFORE {operation} ON "{table}" FOR EACH ROW EXECUTE FUNCTION {name}();
                """);
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
        if (borrowsDirectory)
        {
            return;
        }
        await Database.DropAsync();
        directory.Delete(recursive: true);
    }
}
