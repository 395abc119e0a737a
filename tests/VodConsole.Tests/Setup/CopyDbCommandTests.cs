using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using VodConsole.Core.Access;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Setup;

/// <summary>
/// <c>dotnet VodConsole.Web.dll copy-db --to "..."</c>, run as a real process: a SQLite installation copied into an empty
/// PostgreSQL database, then a server on that database (issue 14, item 8). The source is always SQLite and the target
/// always PostgreSQL, so it runs in the SQLite run (the SqliteOnly trait keeps it out of the PostgreSQL run, which would
/// give the source console a PostgreSQL database) and needs the test cluster there too.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class CopyDbCommandTests
{
    [Fact]
    public async Task A_copy_keeps_every_table_so_a_server_on_postgres_signs_the_same_cookie_in_and_reads_secrets_media_and_search()
    {
        RequireCluster();
        var target = TestDatabase.OnCluster();
        await target.CreateAsync(migrated: false); // a new, empty database: the command migrates it
        var source = new ApiServer();
        ApiServer? onPostgres = null;
        try
        {
            // A console with something in the tables that matter: a granted user, media, an API key, callbacks with a
            // key (encrypted with the Data Protection keys), and the audit entries all this wrote.
            var app = await source.CreateApplicationAsync("Copied");
            var grantee = new ConsoleUser { UserName = "editor@vod.test", Email = "editor@vod.test", CreatedAt = DateTime.UtcNow };
            Assert.True((await source.Get<UserManager<ConsoleUser>>().CreateAsync(grantee, ApiServer.OwnerPassword)).Succeeded);
            await using (var db = await source.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
            {
                db.ApplicationGrants.Add(new ApplicationGrant { UserId = grantee.Id, ApplicationId = app.Id, Access = ApplicationAccess.Full });
                await db.SaveChangesAsync();
            }
            var harbour = await source.AddMediaAsync(app.Id, "Sunset over the harbour");
            var traffic = await source.AddMediaAsync(app.Id, "Morning traffic");
            var key = await source.CreateKeyAsync(app.Id);
            var callbacks = await source.AsOwnerAsync(app.Id, s => s.GetRequiredService<CallbackSettingsService>()
                .SaveAsync(new CallbackSettingsEdit(CallbackMode.Pull, null, [CallbackEventType.UploadComplete], 0)));
            Assert.NotNull(callbacks.Key);
            var cookie = await OwnerCookieAsync(source);
            var tables = ModelTables(source);
            await source.StopAsync(); // copy-db refuses a database a server is running on

            var (exit, output, errors) = await CopyAsync(source, target);

            Assert.True(exit == 0, $"exit {exit}: {errors}{output}");
            // Progress per table, then the check: every table of the model, the same count on both sides.
            Assert.Matches(@"(?m)^\s+Media\s+2 / 2\s+100 %$", output);
            var counts = Regex.Matches(output, @"(?m)^  (\w+)\s+([\d,]+)\s+([\d,]+)$")
                .ToDictionary(m => m.Groups[1].Value, m => (Source: m.Groups[2].Value, Target: m.Groups[3].Value));
            Assert.Equal(tables.Order(), counts.Keys.Order());
            Assert.All(counts.Values, c => Assert.Equal(c.Source, c.Target));
            foreach (var filled in new[] { "AspNetUsers", "ApplicationGrants", "Applications", "Media", "AuditEntries", "ApiKeys", "CallbackSettings", "DataProtectionKeys", "DailyUsage" })
            {
                Assert.NotEqual("0", counts[filled].Target);
            }

            // A server on the copy, with the same media folder: the cookie the SQLite server wrote signs the owner in ...
            onPostgres = new ApiServer(sameDatabaseAs: source, settings: target.HostSettings.ToDictionary());
            using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(onPostgres.BaseUrl) })
            using (var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit/export.csv"))
            {
                request.Headers.Add("Cookie", cookie);
                using var signedIn = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
                Assert.Contains("Copied", await signedIn.Content.ReadAsStringAsync()); // the audit entries came along
            }
            // ... the encrypted callback key reads as it was, the API key's secret still signs, the media are listed and
            // found by search, and the grant still gives the editor the application.
            var copiedCallbacks = await onPostgres.AsOwnerAsync(app.Id, s => s.GetRequiredService<CallbackSettingsService>().GetAsync());
            Assert.Equal(callbacks.Key, copiedCallbacks.Key);
            using var api = onPostgres.Client(key);
            var listed = await (await api.GetAsync($"/api/v1/media?SubAppId={app.Id}")).JsonAsync();
            Assert.Equal(new[] { harbour.Id, traffic.Id }.Order(), listed.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("MediaId").GetInt64()).Order());
            var found = await (await api.GetAsync($"/api/v1/media?SubAppId={app.Id}&Text=harb")).JsonAsync();
            Assert.Equal([harbour.Id], found.GetProperty("Media").EnumerateArray().Select(m => m.GetProperty("MediaId").GetInt64()));
            var catalog = await onPostgres.Get<RoleResolver>().LoadCatalogAsync(grantee.Id);
            Assert.Contains(catalog!.Roles, r => r.ApplicationId == app.Id);
            // New rows continue after the copied ids (the sequences were reset): a new key gets the next one, not 1 again.
            var newKey = await onPostgres.CreateKeyAsync(app.Id);
            Assert.True(newKey.Id > key.Id);
        }
        finally
        {
            if (onPostgres is not null)
            {
                await onPostgres.DisposeAsync();
            }
            await source.DisposeAsync();
            await target.DropAsync();
        }
    }

    [Fact]
    public async Task A_target_that_holds_console_data_is_refused_and_left_unchanged()
    {
        RequireCluster();
        var target = TestDatabase.OnCluster();
        await target.CreateAsync(migrated: false);
        var first = new ApiServer();
        var second = new ApiServer();
        try
        {
            await first.AddMediaAsync((await first.PrimaryAsync()).Id, "First console's clip");
            await second.AddMediaAsync((await second.PrimaryAsync()).Id, "Second console's clip");
            var tables = ModelTables(first);
            await first.StopAsync();
            await second.StopAsync();
            Assert.Equal(0, (await CopyAsync(first, target)).Exit);
            var before = await TargetRowsAsync(target, tables);

            var (exit, output, errors) = await CopyAsync(second, target);

            Assert.Equal(1, exit);
            Assert.Contains("already holds console data", errors);
            Assert.Contains("wrote nothing", errors);
            Assert.DoesNotContain("Copied", output);
            Assert.Equal(before, await TargetRowsAsync(target, tables));
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
            await target.DropAsync();
        }
    }

    [Fact]
    public async Task A_database_a_server_is_running_on_is_refused_before_the_target_is_touched()
    {
        var running = new ApiServer();
        try
        {
            // Nothing listens there: a command that got as far as the target would fail differently.
            var (exit, output, errors) = await ResetPasswordCommandTests.RunAsync(running.Database, running.DataDirectory,
                "copy-db", "--to", "Host=127.0.0.1;Port=1;Database=never;Username=nobody;Password=none");

            Assert.Equal(1, exit);
            Assert.Contains("A console server is running on this database", errors);
            Assert.Contains("nothing was copied", errors);
            Assert.DoesNotContain("Cannot open the target database", errors);
            Assert.DoesNotContain("Copied", output);

            // Stopped, it is no longer in the way: the command goes on to the target, and says plainly it cannot reach it.
            await running.StopAsync();
            var (_, _, afterStop) = await ResetPasswordCommandTests.RunAsync(running.Database, running.DataDirectory,
                "copy-db", "--to", "Host=127.0.0.1;Port=1;Database=never;Username=nobody;Password=none");
            Assert.DoesNotContain("A console server is running", afterStop);
            Assert.Contains("Cannot open the target database never on 127.0.0.1:1: Failed to connect", afterStop);
            Assert.DoesNotContain("rolled back", afterStop); // it never started, so it says so, without a stack trace
            Assert.DoesNotContain("   at ", afterStop);
        }
        finally
        {
            await running.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_target_the_command_says_how_to_use_it()
    {
        var server = new ApiServer();
        try
        {
            var (exit, _, errors) = await ResetPasswordCommandTests.RunAsync(server.Database, server.DataDirectory, "copy-db");

            Assert.Equal(2, exit);
            Assert.Contains("copy-db --to", errors);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>The command always targets PostgreSQL: the SQLite run needs the test cluster too.</summary>
    private static void RequireCluster() => Assert.True(Environment.GetEnvironmentVariable("VODCONSOLE_TEST_POSTGRES") is not null,
        "copy-db copies into PostgreSQL: start the test cluster with `eval \"$(scripts/test-services.sh start /tmp/vodconsole-services postgres)\"` "
        + "(./test.sh does it) and run the tests again.");

    private static Task<(int Exit, string Output, string Errors)> CopyAsync(ApiServer source, TestDatabase target) =>
        ResetPasswordCommandTests.RunAsync(source.Database, source.DataDirectory, "copy-db", "--to", target.Options.ConnectionString);

    private static HashSet<string> ModelTables(ApiServer server)
    {
        using var db = server.Get<IDbContextFactory<VodDbContext>>().CreateDbContext();
        return db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet();
    }

    /// <summary>The owner's sign-in cookie as the server writes it at sign-in (with its Data Protection keys).</summary>
    private static async Task<string> OwnerCookieAsync(ApiServer server)
    {
        var user = (await server.Get<UserManager<ConsoleUser>>().FindByIdAsync(server.OwnerId))!;
        var principal = await server.Get<IUserClaimsPrincipalFactory<ConsoleUser>>().CreateAsync(user);
        var options = server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow }, IdentityConstants.ApplicationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>Every table's row count on the target, and its media titles: what a refused copy must leave as it was.</summary>
    private static async Task<string> TargetRowsAsync(TestDatabase target, IEnumerable<string> tables)
    {
        await using var connection = new NpgsqlConnection(target.Options.ConnectionString);
        await connection.OpenAsync();
        var counts = string.Join(" || ", tables.Order().Select(t => $"'{t}=' || (SELECT count(*) FROM \"{t}\") || ','"));
        await using var command = new NpgsqlCommand($"""SELECT {counts} || (SELECT string_agg("Title", ',') FROM "Media")""", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
