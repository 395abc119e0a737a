using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Tests.Setup;

namespace VodConsole.Tests.Roles;

/// <summary>
/// The change feed on SQLite across processes of one machine (issue 14, item 6): what the shell's commands change
/// reaches the server's open tabs at once instead of at the 5-minute safety net.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SqliteChangeFeedTests
{
    [Fact]
    public async Task A_change_another_process_leaves_reaches_the_listener_once_and_its_own_are_not_delivered_twice()
    {
        var folder = Directory.CreateTempSubdirectory("vodconsole-feed-");
        try
        {
            var database = $"Data Source={Path.Combine(folder.FullName, "console.db")}";
            using var server = new SqliteChangeFeed(database, NullLogger<SqliteChangeFeed>.Instance);
            using var command = new SqliteChangeFeed(database, NullLogger<SqliteChangeFeed>.Instance);
            server.Listen();
            var heard = new ConcurrentQueue<ConsoleChange>();
            using var subscription = server.Subscribe(heard.Enqueue);

            await server.PublishAsync(ConsoleChange.ForUser("server's own"), TestContext.Current.CancellationToken);
            await command.PublishAsync(ConsoleChange.ForUser("from the shell"), TestContext.Current.CancellationToken);

            await OpenTab.WaitUntilAsync(() => heard.Contains(ConsoleChange.ForUser("from the shell")), OpenTab.Announced, "the shell's change to arrive");
            Assert.Equal([ConsoleChange.ForUser("server's own"), ConsoleChange.ForUser("from the shell")], heard);
            Assert.True(Directory.Exists(SqliteChangeFeed.FolderOf(database)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_password_reset_from_the_shell_signs_the_users_open_tab_out_through_the_feed()
    {
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<IChangeFeed>(provider =>
        {
            // As the web host registers it on SQLite, listening as its hosted watch does at start.
            var feed = new SqliteChangeFeed(provider.GetRequiredService<DatabaseOptions>().ConnectionString, NullLogger<SqliteChangeFeed>.Instance);
            feed.Listen();
            return feed;
        }));
        var userId = await console.AddUserAsync("forgetful@vod.test");
        await using var tab = await OpenTab.OpenAsync(console.NewScope(), userId);

        var (exit, output, errors) = await ResetPasswordCommandTests.RunAsync(console, "reset-password", "forgetful@vod.test");
        var clock = Stopwatch.StartNew();

        Assert.True(exit == 0, $"exit {exit}: {errors}{output}");
        await OpenTab.WaitUntilAsync(() => !tab.SignedIn, OpenTab.Announced - clock.Elapsed, "the open tab to be signed out");
    }
}
