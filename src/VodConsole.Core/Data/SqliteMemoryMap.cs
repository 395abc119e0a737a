using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace VodConsole.Core.Data;

/// <summary>
/// Lets every connection read the database file through a memory map instead of a read call per page. SQLite's own page
/// cache is small (2 MB) and is emptied whenever another connection writes, so a search that looks up a few thousand
/// rows by key read most pages from the file each time, a system call each: with a million media rows a common word
/// sorted by date took 26 ms instead of 10 (docs/performance.md). Mapped pages come from the operating system's file
/// cache, shared by all connections.
/// </summary>
public sealed class SqliteMemoryMap : DbConnectionInterceptor
{
    // SQLite's upper limit (SQLITE_MAX_MMAP_SIZE): address space only; the system reads and evicts pages as with any file.
    private const string Pragma = "PRAGMA mmap_size = 2147418112";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is SqliteConnection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        if (connection is SqliteConnection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
