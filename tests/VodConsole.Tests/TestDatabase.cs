using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VodConsole.Core.Data;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Setup;

[assembly: AssemblyFixture(typeof(VodConsole.Tests.TestPostgresCluster))]

namespace VodConsole.Tests;

/// <summary>
/// The database of one test console. SQLite by default: a file in the console's folder. With
/// <c>VODCONSOLE_TEST_DATABASE=Postgres</c>: a database of its own on the test cluster (<see cref="TestPostgresCluster"/>),
/// copied from a template migrated once per run (a copy takes milliseconds, migrating takes seconds), dropped at dispose.
/// </summary>
public sealed class TestDatabase
{
    /// <summary>
    /// The trait of tests about SQLite itself (its shell, its file, its PRAGMAs), left out of the PostgreSQL run
    /// (<c>--filter-not-trait "Database=SqliteOnly"</c>, as test.sh does).
    /// </summary>
    public const string Trait = "Database";
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>
    /// The trait of tests of what only PostgreSQL does (row locks), left out of the SQLite run
    /// (<c>--filter-not-trait "Database=PostgresOnly"</c>, as test.sh does); run alone on SQLite, they skip and say why.
    /// </summary>
    public const string PostgresOnly = "PostgresOnly";

    private TestDatabase(DatabaseOptions options, string? postgresName)
    {
        Options = options;
        this.postgresName = postgresName;
    }

    private readonly string? postgresName;

    public DatabaseOptions Options { get; }

    /// <summary>True when this run's tests use PostgreSQL (<c>VODCONSOLE_TEST_DATABASE=Postgres</c>).</summary>
    public static bool IsPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable("VODCONSOLE_TEST_DATABASE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings that point a console process or web host at this database.</summary>
    public IEnumerable<KeyValuePair<string, string>> HostSettings =>
    [
        new("Database:Provider", Options.Provider.ToString()),
        new("ConnectionStrings:Default", Options.ConnectionString),
    ];

    /// <summary>
    /// The database of a console whose files are in <paramref name="directory"/> (SQLite's file goes there); on PostgreSQL
    /// it exists once <see cref="CreateAsync"/> made it.
    /// </summary>
    public static TestDatabase For(string directory)
    {
        if (!IsPostgres)
        {
            return new TestDatabase(DatabaseOptions.Sqlite($"Data Source={Path.Combine(directory, "console.db")}"), null);
        }
        return OnCluster();
    }

    /// <summary>A PostgreSQL database of its own on the test cluster, whatever this run's engine (copy-db's target); exists once created.</summary>
    public static TestDatabase OnCluster()
    {
        var name = $"vodtest_{Guid.NewGuid():N}";
        return new TestDatabase(DatabaseOptions.Postgres(ConnectionTo(name)), name);
    }

    /// <summary>
    /// Creates the PostgreSQL database, migrated as the template is, or empty as a new installation's is (SQLite's file
    /// is created on first use, empty).
    /// </summary>
    public async Task CreateAsync(bool migrated = true)
    {
        if (postgresName is not null)
        {
            await ExecuteAsync(migrated
                ? $"CREATE DATABASE \"{postgresName}\" TEMPLATE \"{await Template.Value}\""
                : $"CREATE DATABASE \"{postgresName}\"");
        }
    }

    /// <summary>True when the database is there: SQLite's file, or the PostgreSQL database on the cluster.</summary>
    public async Task<bool> ExistsAsync()
    {
        if (postgresName is null)
        {
            return File.Exists(new SqliteConnectionStringBuilder(Options.ConnectionString).DataSource);
        }
        await using var connection = new NpgsqlConnection(TestPostgresCluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
        command.Parameters.AddWithValue("name", postgresName);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Lets go of the database: SQLite's pooled connections (so the folder can be deleted), or the PostgreSQL database itself.</summary>
    public async Task DropAsync()
    {
        if (postgresName is null)
        {
            SqliteConnection.ClearAllPools();
            return;
        }
        await using (var connection = new NpgsqlConnection(Options.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{postgresName}\" WITH (FORCE)");
    }

    /// <summary>Closes pooled connections, as a stopped server's are, before another console takes over the database.</summary>
    public void ReleaseConnections()
    {
        if (postgresName is null)
        {
            SqliteConnection.ClearAllPools();
        }
        else
        {
            using var connection = new NpgsqlConnection(Options.ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>Migrates one database with the search index in place, to copy for every console of the run.</summary>
    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"vodtemplate_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        var options = DatabaseOptions.Postgres(ConnectionTo(name));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(options);
        await using (var provider = services.BuildServiceProvider())
        await using (var db = await provider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await provider.GetRequiredService<IMediaSearchIndex>().EnsureAsync(db);
        }
        // A template must have no connections while it is copied.
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        return name;
    }

    private static string ConnectionTo(string database) =>
        new NpgsqlConnectionStringBuilder(TestPostgresCluster.ConnectionString) { Database = database }.ToString();

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgresCluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The PostgreSQL cluster of a PostgreSQL run: the one <c>./test.sh</c> started (<c>VODCONSOLE_TEST_POSTGRES</c>), or,
/// when a developer runs <c>dotnet test</c> with only <c>VODCONSOLE_TEST_DATABASE=Postgres</c>, one this fixture starts
/// with the same script and stops after the last test. Nothing in a SQLite run.
/// </summary>
public sealed class TestPostgresCluster : IAsyncLifetime
{
    private static string? connectionString = Environment.GetEnvironmentVariable("VODCONSOLE_TEST_POSTGRES");
    private string? startedIn;

    /// <summary>A connection string to the cluster's maintenance database.</summary>
    public static string ConnectionString => connectionString
        ?? throw new InvalidOperationException("No PostgreSQL cluster: set VODCONSOLE_TEST_POSTGRES or run with VODCONSOLE_TEST_DATABASE=Postgres.");

    public async ValueTask InitializeAsync()
    {
        if (!TestDatabase.IsPostgres || connectionString is not null)
        {
            return;
        }
        startedIn = Directory.CreateTempSubdirectory("vodconsole-test-postgres-").FullName;
        var (exit, output, errors) = await ScriptAsync("start");
        const string prefix = "export VODCONSOLE_TEST_POSTGRES=";
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"scripts/test-services.sh could not start PostgreSQL ({exit}): {errors}");
        }
        connectionString = line[prefix.Length..].Trim().Trim('\'');
    }

    public async ValueTask DisposeAsync()
    {
        if (startedIn is not null)
        {
            await ScriptAsync("stop");
            Directory.Delete(startedIn, recursive: true);
        }
    }

    private async Task<(int Exit, string Output, string Errors)> ScriptAsync(string command)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "VodConsole.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository (VodConsole.sln) is not above the test binaries.");
        }
        var start = new ProcessStartInfo(Path.Combine(root.FullName, "scripts", "test-services.sh"), [command, startedIn!])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
