using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Setup;

/// <summary>
/// <c>dotnet VodConsole.Web.dll reset-password EMAIL</c>, run as a real process against a temporary installation: the
/// recovery for a lost password, the owner's included (issue 11, item 9).
/// </summary>
public sealed class ResetPasswordCommandTests
{
    [Fact]
    public async Task The_command_prints_a_new_password_once_that_signs_in_and_is_audited_and_an_unknown_email_fails()
    {
        await using var console = await TestConsole.StartAsync();
        var userId = await console.AddUserAsync("lost@vod.test", isOwner: true);

        var (exit, output, errors) = await RunAsync(console, "reset-password", "lost@vod.test");

        Assert.True(exit == 0, $"exit {exit}: {errors}{output}");
        var password = Assert.Single(Regex.Matches(output, @"^ {4}(\S+)$", RegexOptions.Multiline)).Groups[1].Value;
        Assert.Matches("^[A-Za-z0-9_]{24}$", password); // a double-click selects it whole
        var users = console.Get<UserManager<ConsoleUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.False(await users.CheckPasswordAsync(user, TestConsole.OwnerPassword));
        var entry = (await console.Get<AuditLog>().PageAsync(new AuditQuery(Action: AuditActions.PasswordReset), null)).Entries.Single();
        Assert.Equal((UserAccessService.ShellActor, "User lost@vod.test"), (entry.Actor, entry.Target));
        Assert.DoesNotContain(password, entry.Before + entry.After);

        var (unknownExit, unknownOutput, unknownErrors) = await RunAsync(console, "reset-password", "nobody@vod.test");
        Assert.Equal(1, unknownExit);
        Assert.Contains("no user with the email nobody@vod.test", unknownErrors);
        Assert.DoesNotMatch(@"^ {4}\S+$", unknownOutput);
    }

    [Fact]
    public async Task Pointed_at_a_folder_without_a_console_the_command_sets_nothing_up()
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-no-console-");
        try
        {
            // A database that does not exist: SQLite's file in the folder, or a PostgreSQL database not created.
            var database = TestDatabase.For(folder.FullName);
            var (exit, _, errors) = await RunAsync(database, folder.FullName, "reset-password", "admin@vodconsole.local");

            Assert.Equal(1, exit);
            Assert.Contains("There is no console database", errors);
            Assert.False(await database.ExistsAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static Task<(int Exit, string Output, string Errors)> RunAsync(TestConsole console, params string[] arguments) =>
        RunAsync(console.Database, Path.GetDirectoryName(console.MediaRoot)!, arguments);

    /// <summary>The web host's own entry point, on the given database and data folder.</summary>
    internal static async Task<(int Exit, string Output, string Errors)> RunAsync(TestDatabase database, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in database.HostSettings)
        {
            start.ArgumentList.Add($"--{name}={value}");
        }
        start.ArgumentList.Add($"--Storage:DataDirectory={folder}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // A command ends by itself; a server that should have refused to start would not: it is stopped and fails the test.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }
}
