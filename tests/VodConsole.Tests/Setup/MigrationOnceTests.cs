using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Setup;

/// <summary>
/// Migrations run once (issue 14, item 5): from the <c>migrate</c> command, or by the first of the instances that start
/// together, under the startup lock; a database migrated by a newer version stops an older one from starting.
/// </summary>
public sealed class MigrationOnceTests
{
    private const string FromANewerVersion = "29990101000000_FromANewerVersion";

    [Fact]
    public async Task Instances_starting_together_on_a_new_database_migrate_and_create_the_account_once()
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-instances-");
        var database = TestDatabase.For(folder.FullName);
        await database.CreateAsync(migrated: false);
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(database)).ToList();
        try
        {
            var created = await Task.WhenAll(instances.Select(async instance =>
            {
                await using var scope = instance.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<RoleContext>().EnterSystem();
                return await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            }));

            Assert.Single(created, c => c);
            await using var db = await instances[0].GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
            Assert.Equal(1, await db.Accounts.CountAsync());
            Assert.Equal(1, await db.Applications.CountAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
            await database.DropAsync();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_version_stops_this_one_with_a_clear_message()
    {
        await using var console = await TestConsole.StartAsync();
        await using (var db = await console.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                $"""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('{FromANewerVersion}', '99.0.0')""");
        }

        var refused = await Assert.ThrowsAsync<DatabaseSchemaException>(() => console.Get<DatabaseInitializer>().InitializeAsync());
        Assert.Contains(FromANewerVersion, refused.Message);
        Assert.Contains("newer version", refused.Message);

        // The real server, started on it, says so and exits instead of serving; so does the migrate command.
        var folder = Path.GetDirectoryName(console.MediaRoot)!;
        var (exit, _, errors) = await ResetPasswordCommandTests.RunAsync(console.Database, folder, "--urls=http://127.0.0.1:0");
        Assert.Equal(1, exit);
        Assert.Contains($"newer version of VodConsole (it has migration {FromANewerVersion}", errors);
        var (migrateExit, _, migrateErrors) = await ResetPasswordCommandTests.RunAsync(console.Database, folder, "migrate");
        Assert.Equal(1, migrateExit);
        Assert.Contains(FromANewerVersion, migrateErrors);
    }

    [Fact]
    public async Task The_migrate_command_applies_the_migrations_and_exits_and_a_second_run_has_nothing_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-migrate-");
        var database = TestDatabase.For(folder.FullName);
        await database.CreateAsync(migrated: false);
        try
        {
            var (exit, output, errors) = await ResetPasswordCommandTests.RunAsync(database, folder.FullName, "migrate");
            Assert.True(exit == 0, $"exit {exit}: {errors}{output}");
            Assert.Matches(@"Applied \d+ migration\(s\): .*The database schema is up to date\.", output);

            await using (var instance = Instance(database))
            await using (var db = await instance.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
                Assert.False(await db.Accounts.AnyAsync()); // the schema only: the first start creates the account
            }

            var (again, againOutput, _) = await ResetPasswordCommandTests.RunAsync(database, folder.FullName, "migrate");
            Assert.Equal(0, again);
            Assert.Contains("already up to date", againOutput);
        }
        finally
        {
            await database.DropAsync();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The services of one console instance on the database (what each server process has).</summary>
    private static ServiceProvider Instance(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(database.Options);
        return services.BuildServiceProvider();
    }
}
