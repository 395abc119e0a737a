using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Setup;

/// <summary>Each engine has its own migrations set (README, "Model changes"); both must describe today's model.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

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
