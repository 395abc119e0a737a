using System.Diagnostics;
using Npgsql;

namespace VodConsole.Tests.Roles;

/// <summary>
/// A PostgreSQL server for the change feed's tests: the one <c>./test.sh</c> started (<c>VODCONSOLE_TEST_POSTGRES</c>), or
/// else a private cluster this fixture starts with <c>scripts/test-services.sh</c> and stops at the end. Never skipped:
/// without PostgreSQL the tests fail with the script's message. Each test gets a database of its own.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string Variable = "VODCONSOLE_TEST_POSTGRES";

    private string? startedIn;

    /// <summary>The maintenance database's connection string.</summary>
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }
        startedIn = Directory.CreateTempSubdirectory("vodconsole-pg-").FullName;
        var printed = await ScriptAsync("start");
        var export = printed.Split('\n').Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith($"export {Variable}=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"scripts/test-services.sh printed no {Variable}:\n{printed}");
        ConnectionString = export[$"export {Variable}=".Length..].Trim('\'');
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"changefeed_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    /// <summary>Runs one statement on <paramref name="connectionString"/>'s database.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (startedIn is not null)
        {
            await ScriptAsync("stop");
            Directory.Delete(startedIn, recursive: true);
        }
    }

    private async Task<string> ScriptAsync(string command)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "scripts", "test-services.sh")))
        {
            root = root.Parent;
        }
        var script = root is null
            ? throw new InvalidOperationException("scripts/test-services.sh not found above the test's folder.")
            : Path.Combine(root.FullName, "scripts", "test-services.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command, startedIn!])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/test-services.sh {command} failed ({process.ExitCode}): {await errors}");
        }
        return await output;
    }
}
