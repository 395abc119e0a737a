using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace VodConsole.Core.Media.Search;

/// <summary>
/// Registers the SQL function the search index's triggers call, <c>media_search_tokens(applicationId, text)</c>, on
/// every connection the console opens. SQLite functions live in the connection, not in the database file, so a write to
/// the media table through a connection without it fails ("no such function"): every DbContext gets this interceptor
/// (<see cref="Setup.CoreServiceRegistration"/>), and a tool that writes media rows over its own connection must call
/// <see cref="Register"/> or drop the triggers first (the bench does the latter).
/// </summary>
public sealed class SqliteSearchFunctions : DbConnectionInterceptor
{
    public const string TokensFunction = "media_search_tokens";

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<long, string?, string?>(
            TokensFunction,
            (applicationId, text) => text is null ? null : MediaSearchTokens.ForIndex(applicationId, text),
            isDeterministic: true);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => RegisterIfSqlite(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        RegisterIfSqlite(connection);
        return Task.CompletedTask;
    }

    private static void RegisterIfSqlite(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            Register(sqlite);
        }
    }
}
