using Microsoft.Data.Sqlite;
using Npgsql;
using VodConsole.Core.Data;

namespace VodConsole.Core.Setup;

/// <summary>
/// Held while an instance migrates and initialises the database (<see cref="DatabaseInitializer"/>), so instances that
/// start together on one database do it one after the other: the first migrates and creates the account, the others
/// find it done. One implementation per engine.
/// </summary>
public interface IStartupLock
{
    Task<IAsyncDisposable> AcquireAsync(CancellationToken ct = default);
}

/// <summary>
/// PostgreSQL: a session-level advisory lock, on a connection of its own, held until released (or until the holder's
/// connection ends: a killed instance never leaves it behind).
/// </summary>
public sealed class PostgresStartupLock(DatabaseOptions database) : IStartupLock
{
    // Any fixed number, the same in every version: "VodC" "Init" in ASCII.
    private const long Key = 0x566F6443_496E6974;

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct = default)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync(ct);
            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Released explicitly: a pooled connection's session (and its locks) outlives Close.
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// SQLite: an exclusive lock on a file beside the database (<c>vodconsole.db.startup-lock</c>), which .NET takes with
/// flock on Linux: processes on one machine, the only ones that can share a SQLite file, wait for each other. The
/// system releases it when the holder exits, however it exits. An in-memory database needs none.
/// </summary>
public sealed class SqliteStartupLock(DatabaseOptions database) : IStartupLock
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct = default)
    {
        var builder = new SqliteConnectionStringBuilder(database.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return new NoLock();
        }
        var path = Path.GetFullPath(builder.DataSource) + ".startup-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException)
            {
                // Another instance holds it: it is migrating now, and this one goes on once it is done.
                await Task.Delay(RetryInterval, ct);
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
