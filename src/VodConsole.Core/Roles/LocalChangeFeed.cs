using Microsoft.Extensions.Logging;

namespace VodConsole.Core.Roles;

/// <summary>
/// The feed of one process (SQLite, the default: one server). A change reaches this process's tabs as it is published,
/// synchronously; nothing crosses to another process.
/// </summary>
public sealed class LocalChangeFeed(ILogger<LocalChangeFeed> logger) : ChangeFeed(logger)
{
    public override Task PublishAsync(ConsoleChange change, CancellationToken ct = default)
    {
        Deliver(change);
        return Task.CompletedTask;
    }
}
