using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Setup;

/// <summary>Each engine has its own migrations set (README, "Model changes"); both must describe today's model.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    /// <summary>
    /// PostgreSQL's set started on purpose later (decision 0015): its <c>InitialCreate</c> holds the model of SQLite's
    /// migrations up to that day. From then on every model change is one migration in each set, with the same name.
    /// </summary>
    [Fact]
    public async Task Since_postgresqls_first_migration_every_model_change_has_a_migration_of_the_same_name_in_both_sets()
    {
        var sqlite = (await MigrationsOfAsync(DatabaseOptions.Sqlite("Data Source=:memory:"))).ToList();
        var postgres = (await MigrationsOfAsync(DatabaseOptions.Postgres("Host=localhost;Database=never-opened"))).ToList();
        var postgresStart = postgres[0];
        Assert.EndsWith("_InitialCreate", postgresStart);

        var sqliteSince = sqlite.Where(m => string.CompareOrdinal(m, postgresStart) > 0).Select(NameOf);
        Assert.Equal(sqliteSince, postgres.Skip(1).Select(NameOf));
        Assert.True(sqliteSince.Any(), "The first model change after PostgreSQL's start is in both sets.");
    }

    /// <summary>"20261127175728_ReviewDecisionsBudgetsAndLeases" → "ReviewDecisionsBudgetsAndLeases" (the two sets' timestamps differ).</summary>
    private static string NameOf(string migration) => migration[(migration.IndexOf('_') + 1)..];

    private static async Task<IEnumerable<string>> MigrationsOfAsync(DatabaseOptions database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(database);
        await using var scope = services.BuildServiceProvider();
        await using var db = await scope.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        return db.Database.GetMigrations().ToList();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Each_providers_migrations_match_the_model(DatabaseProvider provider)
    {
        // The console's own registration builds the model (Identity's options shape it). Comparing it with the provider's
        // snapshot reads no database: the connection strings are never opened.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(provider == DatabaseProvider.Sqlite
            ? DatabaseOptions.Sqlite("Data Source=:memory:")
            : DatabaseOptions.Postgres("Host=localhost;Database=never-opened"));
        await using var scope = services.BuildServiceProvider();
        await using var db = await scope.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that {provider}'s migrations do not: add a migration for both providers (README, \"Model changes\").");
    }
}
