using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;

namespace VodConsole.Tests.Media;

/// <summary>
/// The database stays usable from standard tools: the real <c>sqlite3</c> shell (Debian's package; <c>./test.sh</c>
/// installs it) inserts, fixes and deletes media rows, and the search follows from the next search or start.
/// SQLite only: the shell and the file are SQLite's (on PostgreSQL, RandomIdTests writes a row outside the console).
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class MediaSearchMaintenanceTests
{
    private static async Task<(TestConsole Console, long App)> StartAsync()
    {
        var console = await TestConsole.StartAsync();
        return (console, (await console.Get<ApplicationService>().ListAsync()).Single().Id);
    }

    private static async Task<long> AddAsync(TestConsole console, long app, string title)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Status = MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}",
            CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }

    private static async Task<List<string>> SearchAsync(TestConsole console, long app, string text) =>
        (await (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>().PageAsync(new MediaQuery(text), null, 100))
            .Items.Select(m => m.Title).Order().ToList();

    /// <summary>Runs SQL in the sqlite3 command-line shell, as an operator at the server's prompt would.</summary>
    private static async Task Sqlite3Async(string database, string sql)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-bail");
        // Waits for the console's own writes as an operator's shell would (.timeout), instead of failing at once on a lock.
        start.ArgumentList.Add("-cmd");
        start.ArgumentList.Add(".timeout 10000");
        start.ArgumentList.Add(database);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("The sqlite3 shell is not installed: apt-get install sqlite3 (./test.sh does).");
            throw;
        }
        using (process)
        {
            await process.StandardInput.WriteAsync(sql);
            process.StandardInput.Close();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0 && error.Length == 0, $"sqlite3 failed ({process.ExitCode}): {error}");
        }
    }

    private const string InsertedByHand = """
        INSERT INTO Media (ApplicationId, Title, Description, Tags, Status, OriginalFileName, ContentType, SizeBytes, StorageKey,
                           CreatedAt, ModifiedAt, Version)
        VALUES ({0}, 'Restored from backup', '', '', 'Normal', 'restored.mp4', 'video/mp4', 1000, '{0}/restored',
                '2026-06-01 08:00:00', '2026-06-01 08:00:00', 0);
        """;

    [Fact]
    public async Task Media_rows_inserted_fixed_and_deleted_in_the_sqlite3_shell_are_searched_as_they_are_now()
    {
        var (console, app) = await StartAsync();
        await using var _ = console;
        var typo = await AddAsync(console, app, "Keynote with a tpyo");
        var obsolete = await AddAsync(console, app, "Obsolete keynote");

        await Sqlite3Async(console.DatabasePath, $"""
            UPDATE Media SET Title = 'Keynote fixed by hand' WHERE Id = {typo};
            DELETE FROM Media WHERE Id = {obsolete};
            {string.Format(InsertedByHand, app)}
            """);

        Assert.Equal(["Keynote fixed by hand"], await SearchAsync(console, app, "keynote"));
        Assert.Empty(await SearchAsync(console, app, "tpyo"));
        Assert.Equal(["Restored from backup"], await SearchAsync(console, app, "backup"));
    }

    [Fact]
    public async Task Changes_made_in_the_shell_are_indexed_at_start_without_a_rebuild()
    {
        var (console, app) = await StartAsync();
        await using var _ = console;
        var id = await AddAsync(console, app, "Before the outage");
        await Sqlite3Async(console.DatabasePath, $"UPDATE Media SET Title = 'After the outage' WHERE Id = {id};");

        bool rebuilt;
        long pending;
        await using (var db = await console.OpenDbAsync())
        {
            rebuilt = await console.Get<IMediaSearchIndex>().EnsureAsync(db); // what every start does
            pending = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS Value FROM MediaSearchPending").SingleAsync();
        }

        Assert.False(rebuilt);
        Assert.Equal(0, pending);
        Assert.Equal(["After the outage"], await SearchAsync(console, app, "after"));
        Assert.Empty(await SearchAsync(console, app, "before"));
    }

    [Fact]
    public async Task An_index_that_drifted_from_the_table_is_rebuilt_at_start()
    {
        var (console, app) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Indexed clip");
        // Someone empties the list of changed rows by hand: the index misses the row inserted meanwhile.
        await Sqlite3Async(console.DatabasePath, string.Format(InsertedByHand, app) + "DELETE FROM MediaSearchPending;");

        bool rebuilt, again;
        await using (var db = await console.OpenDbAsync())
        {
            rebuilt = await console.Get<IMediaSearchIndex>().EnsureAsync(db);
            again = await console.Get<IMediaSearchIndex>().EnsureAsync(db);
        }

        Assert.True(rebuilt);
        Assert.False(again);
        Assert.Equal(["Restored from backup"], await SearchAsync(console, app, "restored"));
        Assert.Equal(["Indexed clip"], await SearchAsync(console, app, "indexed"));
    }

    [Fact]
    public async Task A_plain_connection_without_anything_registered_writes_media()
    {
        var (console, app) = await StartAsync();
        await using var _ = console;

        await using (var connection = new SqliteConnection($"Data Source={console.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = string.Format(InsertedByHand, app);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(["Restored from backup"], await SearchAsync(console, app, "backup"));
    }
}
