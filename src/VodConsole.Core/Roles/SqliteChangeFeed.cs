using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace VodConsole.Core.Roles;

/// <summary>
/// The feed on SQLite, where every process that writes runs on the one machine with the database file: a change is
/// delivered to this process's tabs at once and also written as a small file into a folder beside the database
/// (<c>vodconsole.db.changes/</c>). The server watches that folder (<see cref="Listen"/>), so a change committed by another
/// process — the shell's <c>reset-password</c> — reaches its open tabs within a second, with no polling. Files are
/// removed a minute after they were written; nobody reads an old one.
/// </summary>
public sealed class SqliteChangeFeed : ChangeFeed, IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private const string Extension = ".change";

    private readonly string folder;
    private readonly ILogger<SqliteChangeFeed> logger;
    /// <summary>In each file's name, so the listener skips what this process delivered already.</summary>
    private readonly string process = Guid.NewGuid().ToString("N");
    private long sequence;
    private FileSystemWatcher? watcher;

    public SqliteChangeFeed(string connectionString, ILogger<SqliteChangeFeed> logger) : base(logger)
    {
        folder = FolderOf(connectionString);
        this.logger = logger;
    }

    /// <summary>The folder beside the database file where processes leave their changes for each other.</summary>
    public static string FolderOf(string connectionString) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource) + ".changes";

    public override async Task PublishAsync(ConsoleChange change, CancellationToken ct = default)
    {
        Deliver(change);
        try
        {
            Directory.CreateDirectory(folder);
            var name = $"{process}-{Interlocked.Increment(ref sequence)}";
            var partial = Path.Combine(folder, name + ".partial");
            await File.WriteAllTextAsync(partial, JsonSerializer.Serialize(new Message(change.Kind, change.UserId)), ct);
            // Renamed whole, so the listener never reads half a file.
            File.Move(partial, Path.Combine(folder, name + Extension));
            RemoveOldFiles();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The change is committed; another process's tabs see it at their safety-net check or next navigation.
            logger.LogWarning(error, "Could not leave {Change} for the other processes in {Folder}.", change, folder);
        }
    }

    /// <summary>Starts delivering the changes other processes leave in the folder (the server calls this once).</summary>
    public void Listen()
    {
        Directory.CreateDirectory(folder);
        RemoveOldFiles();
        watcher = new FileSystemWatcher(folder, "*" + Extension) { NotifyFilter = NotifyFilters.FileName };
        watcher.Renamed += (_, file) => Receive(file.FullPath);
        watcher.Created += (_, file) => Receive(file.FullPath);
        watcher.Error += (_, error) =>
        {
            // An overflowing or broken watch may have lost changes: every tab looks again once.
            logger.LogWarning(error.GetException(), "The watch on {Folder} failed; every open tab looks again.", folder);
            Deliver(ConsoleChange.Resync);
        };
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>Whether <see cref="Listen"/> runs (for readiness and tests).</summary>
    public override bool IsListening => watcher?.EnableRaisingEvents == true;

    private void Receive(string path)
    {
        if (!path.EndsWith(Extension, StringComparison.Ordinal) || Path.GetFileName(path).Contains(process, StringComparison.Ordinal))
        {
            return;
        }
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(File.ReadAllText(path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            message = null;
            // Removed already (older than a minute) or unreadable: a change was announced, its content is unknown.
            logger.LogDebug(error, "Could not read the change in {Path}; every open tab looks again.", path);
        }
        Deliver(message is null ? ConsoleChange.Resync : new ConsoleChange(message.Kind, message.UserId));
    }

    private void RemoveOldFiles()
    {
        // The files' own times, so the file system's clock on both sides (a test's clock plays no part here).
        var before = DateTime.UtcNow - KeptFor;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < before)
            {
                try
                {
                    file.Delete();
                }
                catch (IOException)
                {
                    // Another process removed it first.
                }
            }
        }
    }

    public void Dispose() => watcher?.Dispose();

    private sealed record Message(ConsoleChangeKind Kind, string? UserId);
}
