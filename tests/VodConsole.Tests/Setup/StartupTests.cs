using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Setup;

public sealed class StartupTests
{
    [Fact]
    public async Task A_new_database_is_migrated_to_the_latest_schema_and_uses_wal()
    {
        await using var console = await TestConsole.StartAsync(initialize: false);

        var createdNow = await console.Get<DatabaseInitializer>().InitializeAsync();

        await using var db = await console.OpenDbAsync();
        Assert.True(createdNow);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Starting_again_keeps_the_account_and_its_primary_application()
    {
        await using var console = await TestConsole.StartAsync();
        var primary = (await console.Get<ApplicationService>().ListAsync()).Single();

        var createdNow = await console.Get<DatabaseInitializer>().InitializeAsync();

        Assert.False(createdNow);
        Assert.Equal(primary.Id, (await console.Get<ApplicationService>().ListAsync()).Single().Id);
    }

    [Fact]
    public async Task The_owner_is_created_once_with_the_configured_password()
    {
        await using var console = await TestConsole.StartAsync(services => services.Configure<BootstrapOptions>(o =>
        {
            o.AdminEmail = "boss@vod.test";
            o.AdminPassword = TestConsole.OwnerPassword;
        }));

        await console.Get<OwnerBootstrap>().EnsureOwnerAsync();
        await console.Get<OwnerBootstrap>().EnsureOwnerAsync();

        var users = console.Get<UserManager<ConsoleUser>>();
        var owner = Assert.Single(users.Users.ToList());
        Assert.True(owner.IsOwner);
        Assert.Equal("boss@vod.test", owner.Email);
        Assert.True(await users.CheckPasswordAsync(owner, TestConsole.OwnerPassword));
    }

    [Fact]
    public async Task Without_a_configured_password_a_strong_one_is_generated()
    {
        await using var console = await TestConsole.StartAsync(services => services.Configure<BootstrapOptions>(o => o.AdminPassword = ""));

        await console.Get<OwnerBootstrap>().EnsureOwnerAsync();

        var owner = Assert.Single(console.Get<UserManager<ConsoleUser>>().Users.ToList());
        Assert.True(owner.IsOwner);
        Assert.NotNull(owner.PasswordHash);
        var password = GeneratedPassword.Create();
        Assert.Equal(24, password.Length);
        Assert.Contains(password, char.IsUpper);
        Assert.Contains(password, char.IsLower);
        Assert.Contains(password, char.IsDigit);
        Assert.Contains(password, c => !char.IsLetterOrDigit(c));
    }

    [Fact]
    public void Generated_passwords_are_one_word_that_a_double_click_selects_whole()
    {
        // Browsers and terminals select letters, digits and underscores as one word; any other symbol splits it.
        for (var i = 0; i < 200; i++)
        {
            Assert.Matches("^[A-Za-z0-9_]{24}$", GeneratedPassword.Create());
        }
    }

    [Fact]
    public async Task A_configured_password_that_breaks_the_policy_stops_start_up_with_a_clear_message()
    {
        await using var console = await TestConsole.StartAsync(services => services.Configure<BootstrapOptions>(o => o.AdminPassword = "short"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => console.Get<OwnerBootstrap>().EnsureOwnerAsync());

        Assert.Contains("Bootstrap:AdminPassword", error.Message);
        Assert.Empty(console.Get<UserManager<ConsoleUser>>().Users.ToList());
    }

    [Fact]
    public async Task The_fifth_failed_sign_in_locks_the_account()
    {
        await using var console = await TestConsole.StartAsync();
        var userId = await console.AddUserAsync("victim@vod.test");
        var users = console.Get<UserManager<ConsoleUser>>();
        var user = (await users.FindByIdAsync(userId))!;

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await users.AccessFailedAsync(user);
            Assert.False(await users.IsLockedOutAsync(user), $"locked after only {attempt} failures");
        }
        await users.AccessFailedAsync(user);

        Assert.True(await users.IsLockedOutAsync(user));
    }

    [Fact]
    public async Task Demo_data_adds_labelled_sub_applications_one_of_them_disabled()
    {
        await using var console = await TestConsole.StartAsync();

        await console.Get<DemoDataSeeder>().SeedAsync();

        var account = await console.Get<AccountService>().GetAsync();
        var subs = (await console.Get<ApplicationService>().ListAsync()).Where(a => a.Kind == ApplicationKind.Sub).ToList();
        Assert.True(account.SubApplicationsEnabled);
        Assert.NotEmpty(subs);
        Assert.All(subs, a => Assert.True(a.IsDemo));
        Assert.All(subs, a => Assert.StartsWith("Demo", a.Name));
        Assert.Contains(subs, a => a.Status == ApplicationStatus.Disabled);
    }

    [Fact]
    public async Task Demo_data_gives_demo_applications_and_only_them_a_90_day_usage_history()
    {
        await using var console = await TestConsole.StartAsync();

        await console.Get<DemoDataSeeder>().SeedAsync();

        await using var db = await console.OpenDbAsync();
        var apps = await db.Applications.ToListAsync();
        var daysByApp = await db.DailyUsage.Where(u => u.Metric == VodConsole.Core.Usage.UsageMetric.TrafficBytes)
            .GroupBy(u => u.ApplicationId).Select(g => new { g.Key, Days = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Days);
        Assert.All(apps.Where(a => a.IsDemo), a => Assert.Equal(DemoDataSeeder.HistoryDays, daysByApp[a.Id]));
        Assert.DoesNotContain(apps.Single(a => a.IsPrimary).Id, daysByApp.Keys);
        Assert.NotEmpty(await db.ResourcePackages.ToListAsync());
    }
}
