using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;

namespace VodConsole.Web.Setup;

/// <summary>
/// Commands run from the server's shell instead of starting the console: <c>dotnet VodConsole.Web.dll reset-password
/// EMAIL</c> (or <c>dotnet run --project src/VodConsole.Web -- reset-password EMAIL</c>) and <c>dotnet
/// VodConsole.Web.dll migrate</c>. They use the same configuration as the server (so the same data directory and
/// database), and any <c>--Section:Key=value</c> after them.
/// </summary>
public sealed record ServerCommand(string Name, string Argument, string[] HostArgs)
{
    public const string ResetPassword = "reset-password";
    public const string Migrate = "migrate";
    public const string CopyDb = "copy-db";

    /// <summary>The command the arguments start with, or null to run the server.</summary>
    public static ServerCommand? Parse(string[] args) =>
        args is [ResetPassword, var email, .. var rest] && !email.StartsWith('-') ? new(ResetPassword, email, rest)
        : args is [ResetPassword, ..] ? new(ResetPassword, "", args[1..])
        : args is [Migrate, .. var hostArgs] ? new(Migrate, "", hostArgs)
        // The target is an argument of the command, not configuration: the configuration stays the source's.
        : args is [CopyDb, "--to", var to, .. var afterTo] ? new(CopyDb, to, afterTo)
        : args is [CopyDb, var toSetting, .. var afterSetting] && toSetting.StartsWith("--to=", StringComparison.Ordinal)
            ? new(CopyDb, toSetting["--to=".Length..], afterSetting)
        : args is [CopyDb, ..] ? new(CopyDb, "", args[1..].Where(a => a != "--to").ToArray())
        : null;

    /// <summary>Runs the command against the server's services; returns the process exit code.</summary>
    public Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter errors) => Name switch
    {
        Migrate => MigrateAsync(services, output, errors),
        CopyDb => CopyDbAsync(services, output, errors, inPlace: !Console.IsOutputRedirected),
        _ => ResetPasswordAsync(services, output, errors),
    };

    /// <summary>
    /// Applies the migrations the database lacks and exits: the deployment step before instances of a new version start
    /// (they would migrate too, one at a time, but a deployment may want the change done and checked first).
    /// </summary>
    private static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        try
        {
            var applied = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateAsync();
            await output.WriteLineAsync(applied.Count == 0
                ? "The database schema was already up to date."
                : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}. The database schema is up to date.");
            return 0;
        }
        catch (DatabaseSchemaException refused)
        {
            await errors.WriteLineAsync(refused.Message);
            return 1;
        }
    }

    /// <summary>
    /// Pointed at the wrong folder, a command must not set up a new, empty console there: true (and the message written)
    /// when the configured database is not there.
    /// </summary>
    private static async Task<bool> NoConsoleDatabaseAsync(IServiceProvider services, TextWriter errors)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        // SQLite would create a missing file; PostgreSQL cannot reach a database that was never created.
        var connection = db.Database.GetDbConnection();
        var sqlite = db.Database.IsSqlite();
        if (sqlite ? File.Exists(connection.DataSource) : await db.Database.CanConnectAsync())
        {
            return false;
        }
        var where = sqlite ? connection.DataSource : $"{connection.Database} on {connection.DataSource}";
        await errors.WriteLineAsync(
            $"There is no console database at {where}. Run the command with the server's configuration (from the same folder, or with --Storage:DataDirectory=... or --ConnectionStrings:Default=...).");
        return true;
    }

    /// <summary>
    /// Copies this (SQLite) installation into an empty PostgreSQL database (<see cref="PostgresCopy"/>), showing each
    /// table's progress (<paramref name="inPlace"/>: one line rewritten, on a terminal; otherwise a line per tenth), then
    /// every table's row count in both; exit code 1 when anything was refused or a count differs (then nothing is kept).
    /// </summary>
    private async Task<int> CopyDbAsync(IServiceProvider services, TextWriter output, TextWriter errors, bool inPlace)
    {
        if (Argument.Length == 0)
        {
            await errors.WriteLineAsync($"Usage: dotnet VodConsole.Web.dll {CopyDb} --to \"Host=...;Database=...;Username=...;Password=...\"");
            await errors.WriteLineAsync("Copies this configuration's SQLite database into that PostgreSQL database, which must be empty.");
            return 2;
        }
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        if (await NoConsoleDatabaseAsync(scope.ServiceProvider, errors))
        {
            return 1;
        }
        var source = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        CopyResult result;
        try
        {
            if (source.IsSqlite)
            {
                // The source at this version's schema, which is what the target gets (a server of this version would migrate it too).
                await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateAsync();
            }
            var lastShown = new Dictionary<string, long>();
            result = await new PostgresCopy(source, scope.ServiceProvider.GetRequiredService<IDbContextFactory<VodDbContext>>(),
                scope.ServiceProvider.GetRequiredService<InstanceRegistry>(), Argument).RunAsync((table, copied, total) =>
            {
                var percent = total == 0 ? 100 : copied * 100 / total;
                var line = string.Create(CultureInfo.InvariantCulture, $"  {table,-28} {copied,12:N0} / {total,-12:N0} {percent,3} %");
                if (inPlace)
                {
                    output.Write($"\r{line}");
                    if (copied == total)
                    {
                        output.WriteLine();
                    }
                }
                else if (!lastShown.TryGetValue(table, out var shown) || percent / 10 > shown / 10)
                {
                    lastShown[table] = percent;
                    output.WriteLine(line);
                }
            });
        }
        catch (Exception refused) when (refused is CopyRefusedException or DatabaseSchemaException)
        {
            await errors.WriteLineAsync(refused.Message);
            return 1;
        }
        catch (Exception failed) when (failed is DbException or InvalidOperationException or IOException)
        {
            // The copy's transaction was rolled back: the target has at most the schema (migrations), which a new run accepts.
            await errors.WriteLineAsync($"The copy failed and was rolled back; the target holds no console data. Fix the cause and run the command again. {failed}");
            return 1;
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"  {"Table",-28} {"SQLite",12} {"PostgreSQL",12}");
        foreach (var table in result.Tables)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {table.Table,-28} {table.SourceRows,12:N0} {table.TargetRows,12:N0}{(table.Matches ? "" : "  MISMATCH")}"));
        }
        await output.WriteLineAsync();
        if (!result.Committed)
        {
            await errors.WriteLineAsync(
                "The row counts differ (MISMATCH above): the copy was rolled back and the target is empty again. Stop every server on the SQLite database and run the command again.");
            return 1;
        }
        await output.WriteLineAsync(
            $"Copied {result.Tables.Count} tables ({result.Tables.Sum(t => t.TargetRows)} rows) and built the media search index; every row count matches. "
            + "Start the servers with Database:Provider=Postgres and this connection string. Media files were not moved: keep the same Storage:DataDirectory (or the same S3 bucket).");
        return 0;
    }

    private async Task<int> ResetPasswordAsync(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        if (Argument.Length == 0)
        {
            await errors.WriteLineAsync($"Usage: dotnet VodConsole.Web.dll {ResetPassword} EMAIL");
            return 2;
        }
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        if (await NoConsoleDatabaseAsync(scope.ServiceProvider, errors))
        {
            return 1;
        }
        // The schema the command expects: a server of this version migrates at start, and so does its command.
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        try
        {
            var password = await scope.ServiceProvider.GetRequiredService<UserAccessService>().ResetPasswordFromShellAsync(Argument);
            await output.WriteLineAsync($"The password of {Argument.Trim()} is now:");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"    {password}");
            await output.WriteLineAsync();
            await output.WriteLineAsync("It is shown only this once. Their open sessions have ended; the audit log records the reset.");
            return 0;
        }
        catch (DomainRuleException rule)
        {
            await errors.WriteLineAsync(rule.Message);
            return 1;
        }
    }
}
