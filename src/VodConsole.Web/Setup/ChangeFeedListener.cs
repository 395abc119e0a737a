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
    /// On PostgreSQL (<c>Database:Provider=Postgres</c>), changes reach the tabs of every instance through
    /// <c>LISTEN/NOTIFY</c> on <c>ConnectionStrings:Default</c>; on SQLite (one server) the core's in-process feed stays.
    /// </summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return services;
        }
        var connectionString = configuration.GetConnectionString("Default");
        services.AddSingleton(provider => new PostgresChangeFeed(
            string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Default is empty.")
                : connectionString,
            provider.GetRequiredService<ILogger<PostgresChangeFeed>>()));
        services.AddSingleton<IChangeFeed>(provider => provider.GetRequiredService<PostgresChangeFeed>());
        services.AddHostedService<ChangeFeedListener>();
        return services;
    }
}
