using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Setup;

/// <summary>The one listener per instance that hears the other instances' changes (PostgreSQL only).</summary>
public sealed class ChangeFeedListener(PostgresChangeFeed feed) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => feed.ListenAsync(stoppingToken);
}

public static class ChangeFeedRegistration
{
    /// <summary>
    /// On PostgreSQL, changes reach the tabs of every instance through <c>LISTEN/NOTIFY</c> on the console's own database;
    /// on SQLite (one server) the core's in-process feed stays.
    /// </summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, DatabaseOptions database)
    {
        if (database.IsSqlite)
        {
            return services;
        }
        services.AddSingleton(provider => new PostgresChangeFeed(
            database.ConnectionString, provider.GetRequiredService<ILogger<PostgresChangeFeed>>()));
        services.AddSingleton<IChangeFeed>(provider => provider.GetRequiredService<PostgresChangeFeed>());
        services.AddHostedService<ChangeFeedListener>();
        return services;
    }
}
