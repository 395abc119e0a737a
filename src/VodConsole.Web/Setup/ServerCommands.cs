using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
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

    /// <summary>The command the arguments start with, or null to run the server.</summary>
    public static ServerCommand? Parse(string[] args) =>
        args is [ResetPassword, var email, .. var rest] && !email.StartsWith('-') ? new(ResetPassword, email, rest)
        : args is [ResetPassword, ..] ? new(ResetPassword, "", args[1..])
        : args is [Migrate, .. var hostArgs] ? new(Migrate, "", hostArgs)
        : null;

    /// <summary>Runs the command against the server's services; returns the process exit code.</summary>
    public Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter errors) =>
        Name == Migrate ? MigrateAsync(services, output, errors) : ResetPasswordAsync(services, output, errors);

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

    private async Task<int> ResetPasswordAsync(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        if (Argument.Length == 0)
        {
            await errors.WriteLineAsync($"Usage: dotnet VodConsole.Web.dll {ResetPassword} EMAIL");
            return 2;
        }
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        // Pointed at the wrong folder, the command must not set up a new, empty console there.
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            // SQLite would create a missing file; PostgreSQL cannot reach a database that was never created.
            var connection = db.Database.GetDbConnection();
            var sqlite = db.Database.IsSqlite();
            if (sqlite ? !File.Exists(connection.DataSource) : !await db.Database.CanConnectAsync())
            {
                var where = sqlite ? connection.DataSource : $"{connection.Database} on {connection.DataSource}";
                await errors.WriteLineAsync(
                    $"There is no console database at {where}. Run the command with the server's configuration (from the same folder, or with --Storage:DataDirectory=... or --ConnectionStrings:Default=...).");
                return 1;
            }
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
