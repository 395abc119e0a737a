using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Setup;

/// <summary>The one listener per instance that hears the other instances' changes (PostgreSQL only).</summary>
public sealed class ChangeFeedListener(PostgresChangeFeed feed) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => feed.ListenAsync(stoppingToken);
}

/// <summary>The server's watch on the folder where its shell commands leave their changes (SQLite only).</summary>
public sealed class SqliteChangeFeedWatch(SqliteChangeFeed feed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        feed.Listen();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class ChangeFeedRegistration
{
    /// <summary>
    /// On PostgreSQL, changes reach the tabs of every instance through <c>LISTEN/NOTIFY</c> on the console's own database;
    /// on SQLite (one server), the server's and its shell commands' changes meet in a folder beside the database file.
    /// </summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, DatabaseOptions database)
    {
        if (database.IsSqlite)
        {
            services.AddSingleton(provider => new SqliteChangeFeed(
                database.ConnectionString, provider.GetRequiredService<ILogger<SqliteChangeFeed>>()));
            services.AddSingleton<IChangeFeed>(provider => provider.GetRequiredService<SqliteChangeFeed>());
            services.AddHostedService<SqliteChangeFeedWatch>();
            return services;
        }
        services.AddSingleton(provider => new PostgresChangeFeed(
            database.ConnectionString, provider.GetRequiredService<ILogger<PostgresChangeFeed>>()));
        services.AddSingleton<IChangeFeed>(provider => provider.GetRequiredService<PostgresChangeFeed>());
        services.AddHostedService<ChangeFeedListener>();
        return services;
    }
}
