using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;

namespace VodConsole.Web.Setup;

/// <summary>
/// Commands run from the server's shell instead of starting the console: <c>dotnet VodConsole.Web.dll reset-password
/// EMAIL</c> (or <c>dotnet run --project src/VodConsole.Web -- reset-password EMAIL</c>). They use the same configuration
/// as the server (so the same data directory and database), and any <c>--Section:Key=value</c> after them.
/// </summary>
public sealed record ServerCommand(string Name, string Argument, string[] HostArgs)
{
    public const string ResetPassword = "reset-password";

    /// <summary>The command the arguments start with, or null to run the server.</summary>
    public static ServerCommand? Parse(string[] args) =>
        args is [ResetPassword, var email, .. var rest] && !email.StartsWith('-') ? new(ResetPassword, email, rest)
        : args is [ResetPassword, ..] ? new(ResetPassword, "", args[1..])
        : null;

    /// <summary>Runs the command against the server's services; returns the process exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter errors)
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
            var file = db.Database.GetDbConnection().DataSource;
            if (!File.Exists(file))
            {
                await errors.WriteLineAsync(
                    $"There is no console database at {file}. Run the command with the server's configuration (from the same folder, or with --Storage:DataDirectory=...).");
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
