using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VodConsole.Core.Roles;

/// <summary>
/// The feed across instances on one PostgreSQL database: a change is delivered to this instance's tabs at once and sent
/// to the others with <c>NOTIFY</c>; <see cref="ListenAsync"/> (run by one hosted listener per instance) holds one
/// dedicated connection that <c>LISTEN</c>s and hands the other instances' changes to the tabs here. When that connection
/// breaks it reconnects with backoff, and then tells every tab to look again once (<see cref="ConsoleChange.Resync"/>):
/// a notification sent while nobody listened is lost, PostgreSQL keeps none.
/// </summary>
public sealed class PostgresChangeFeed : ChangeFeed, IAsyncDisposable, IDisposable
{
    /// <summary>The channel every instance of one database shares.</summary>
    public const string Channel = "vodconsole_changes";

    /// <summary>The listening connection's application name, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ListenerName = "VodConsole change feed";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource publisher;
    private readonly string listenerConnectionString;
    private readonly ILogger<PostgresChangeFeed> logger;
    /// <summary>This instance's own notifications come back to its listener too; they were delivered here already.</summary>
    private readonly string instance = Guid.NewGuid().ToString("N");
    private volatile bool listening;

    public PostgresChangeFeed(string connectionString, ILogger<PostgresChangeFeed> logger) : base(logger)
    {
        this.logger = logger;
        publisher = NpgsqlDataSource.Create(connectionString);
        listenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ListenerName,
            // Its own connection, never pooled: a broken one must not go back to a pool.
            Pooling = false,
            // A server or a network that vanished without closing the connection is noticed within seconds, not hours.
            KeepAlive = 5,
        }.ToString();
    }

    /// <summary>Whether the listener holds its connection and hears the other instances now (for readiness and tests).</summary>
    public override bool IsListening => listening;

    public override async Task PublishAsync(ConsoleChange change, CancellationToken ct = default)
    {
        Deliver(change);
        try
        {
            await using var notify = publisher.CreateCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.Add(new NpgsqlParameter { Value = Channel });
            notify.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new Message(instance, change.Kind, change.UserId)) });
            await notify.ExecuteNonQueryAsync(ct);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The change is committed; other instances' tabs see it at their safety-net check or next navigation.
            logger.LogWarning(error, "Could not announce {Change} to the other instances.", change);
        }
    }

    /// <summary>Listens until <paramref name="ct"/> is cancelled, reconnecting with backoff (1 s doubling to 30 s).</summary>
    public async Task ListenAsync(CancellationToken ct)
    {
        var retry = FirstRetry;
        var missed = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listenerConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, notification) => Receive(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                listening = true;
                retry = FirstRetry;
                if (missed)
                {
                    logger.LogInformation("The change feed listens again; every open tab looks again once.");
                    Deliver(ConsoleChange.Resync);
                    missed = false;
                }
                while (true)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                listening = false;
                missed = true;
                logger.LogWarning(error, "The change feed lost its connection to PostgreSQL; retrying in {Retry}.", retry);
                try
                {
                    await Task.Delay(retry, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
            }
        }
        listening = false;
    }

    private void Receive(string payload)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(payload);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            logger.LogWarning("Unreadable change notification {Payload}; every open tab looks again.", payload);
            Deliver(ConsoleChange.Resync);
        }
        else if (message.Instance != instance)
        {
            Deliver(new ConsoleChange(message.Kind, message.UserId));
        }
    }

    public ValueTask DisposeAsync() => publisher.DisposeAsync();

    public void Dispose() => publisher.Dispose();

    private sealed record Message(string Instance, ConsoleChangeKind Kind, string? UserId);
}
