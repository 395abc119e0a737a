using Microsoft.EntityFrameworkCore;

namespace VodConsole.Core.Data;

/// <summary>The database engines the console runs on: SQLite on one machine (the default), PostgreSQL for several.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which engine holds the console's data and how to reach it (<c>Database:Provider</c> and <c>ConnectionStrings:Default</c>).
/// Each engine has its own migrations set: SQLite's in VodConsole.Core, PostgreSQL's in VodConsole.Data.Postgres
/// (docs/decisions/0015-postgresql-provider.md).
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string PostgresMigrationsAssembly = "VodConsole.Data.Postgres";

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static DatabaseOptions Sqlite(string connectionString) => new(DatabaseProvider.Sqlite, connectionString);

    public static DatabaseOptions Postgres(string connectionString) => new(DatabaseProvider.Postgres, connectionString);

    /// <summary>The provider named in configuration, case-insensitively; a clear message for anything else.</summary>
    public static DatabaseProvider ParseProvider(string? name) =>
        string.IsNullOrWhiteSpace(name) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(name.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider
        : throw new InvalidOperationException($"Database:Provider '{name}' is not known; use 'Sqlite' (the default) or 'Postgres'.");

    /// <summary>Points EF Core at this engine, with the migrations set that belongs to it.</summary>
    public DbContextOptionsBuilder Apply(DbContextOptionsBuilder options) => Provider switch
    {
        DatabaseProvider.Postgres => options.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly)),
        _ => options.UseSqlite(ConnectionString),
    };
}
