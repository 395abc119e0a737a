using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Media;
using VodConsole.Core.Packages;
using VodConsole.Core.Setup;
using VodConsole.Core.Setup.Demo;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Setup;

public sealed class StartupTests
{
    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)] // WAL is SQLite's; MigrationOnceTests migrate PostgreSQL
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

    /// <summary>Seeds, lets processing run as the worker would, and returns each demo application with its listed media.</summary>
    private static async Task<List<(Application Application, IReadOnlyList<MediaItem> Media)>> SeedAndProcessAsync(TestConsole console)
    {
        await console.Get<DemoDataSeeder>().SeedAsync();
        while (await console.Get<MediaProcessor>().ProcessPendingAsync() > 0)
        {
        }
        var result = new List<(Application, IReadOnlyList<MediaItem>)>();
        foreach (var application in (await console.Get<ApplicationService>().ListAsync()).Where(a => a.IsDemo))
        {
            var library = (await console.InApplicationAsync(application.Id)).GetRequiredService<MediaLibrary>();
            result.Add((application, (await library.PageAsync(new MediaQuery(), null, MediaLibrary.MaxPageSize)).Items));
        }
        return result;
    }

    [Fact]
    public async Task Demo_media_is_uploaded_and_processed_like_any_and_the_overview_counts_exactly_it()
    {
        await using var console = await TestConsole.StartAsync();

        var demo = await SeedAndProcessAsync(console);

        var overview = await console.Get<ServiceOverviewReport>().LoadAsync();
        Assert.NotEmpty(demo);
        foreach (var (application, media) in demo)
        {
            Assert.NotEmpty(media);
            Assert.All(media, item =>
            {
                Assert.Equal(MediaStatus.Normal, item.Status);
                Assert.NotNull(item.CoverKey);
                Assert.InRange(item.DurationSeconds ?? 0, 0.5, 3);
                Assert.Equal((320, 180), (item.Width, item.Height));
                Assert.Equal("h264", item.VideoCodec);
                Assert.True(File.Exists(Path.Combine(console.MediaRoot, item.StorageKey)), item.StorageKey);
            });
            var figures = overview.Applications.Single(a => a.Application.Id == application.Id).Figures;
            Assert.Equal(media.Count, figures[UsageMetric.MediaCount]);
            Assert.Equal(media.Sum(m => m.SizeBytes), figures[UsageMetric.StorageBytes]);
            Assert.Equal(0, figures[UsageMetric.TranscodeSeconds]);
            Assert.Equal(0, figures[UsageMetric.ReviewSeconds]);
        }
        Assert.Contains(demo, d => d.Application.Status == ApplicationStatus.Disabled);
        Assert.Equal(0, overview.Totals[UsageMetric.TranscodeSeconds]);
        Assert.Equal(0, overview.Totals[UsageMetric.ReviewSeconds]);
    }

    [Fact]
    public async Task Generated_history_is_only_plays_and_traffic_before_the_demo_applications_existed_and_says_so()
    {
        await using var console = await TestConsole.StartAsync();
        await console.Get<DemoDataSeeder>().SeedAsync();

        await using var db = await console.OpenDbAsync();
        var applications = await db.Applications.ToListAsync();
        var created = applications.Where(a => a.IsDemo).ToDictionary(a => a.Id, a => DateOnly.FromDateTime(a.CreatedAt));
        var rows = await db.DailyUsage.ToListAsync();
        var generated = rows.Where(u => created.TryGetValue(u.ApplicationId, out var day) && u.Day < day).ToList();
        Assert.All(created.Keys, id => Assert.Equal(DemoDataSeeder.HistoryDays - 1,
            generated.Count(u => u.ApplicationId == id && u.Metric == UsageMetric.TrafficBytes)));
        Assert.All(generated, u => Assert.Contains(u.Metric, DemoHistory.Metrics));
        Assert.DoesNotContain(rows, u => u.Metric is UsageMetric.TranscodeSeconds or UsageMetric.ReviewSeconds && u.Value != 0);
        Assert.DoesNotContain(rows, u => !created.ContainsKey(u.ApplicationId) && u.Value != 0);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var statistics = console.Get<StatisticsService>();
        var last30 = StatisticsRange.Last(30, TimeProvider.System);
        Assert.Equal(today, (await console.Get<ServiceOverviewReport>().LoadAsync()).DemoHistoryRecordedFrom);
        Assert.Equal(today, (await statistics.LoadAsync(new StatisticsQuery(UsageMetric.Plays, last30), null)).DemoHistoryRecordedFrom);
        Assert.Null((await statistics.LoadAsync(new StatisticsQuery(UsageMetric.StorageBytes, last30), null)).DemoHistoryRecordedFrom);
        Assert.Null((await statistics.LoadAsync(new StatisticsQuery(UsageMetric.Plays, last30), applications.Single(a => a.IsPrimary).Id))
            .DemoHistoryRecordedFrom);
        Assert.Null((await statistics.LoadAsync(new StatisticsQuery(UsageMetric.Plays, StatisticsRange.Last(1, TimeProvider.System)), null))
            .DemoHistoryRecordedFrom);
        Assert.Equal(today, (await console.Get<PackageLedger>().GetLedgerAsync()).DemoHistoryRecordedFrom);

        // The CSV marks each generated value, so a spreadsheet can leave it out as the pages do.
        var csv = StatisticsCsv.Write(await statistics.LoadAsync(new StatisticsQuery(UsageMetric.Plays, last30), null))
            .TrimEnd('\r', '\n').Split("\r\n").Skip(1).Select(row => row.Split(',')).ToList();
        Assert.All(csv, row => Assert.Equal(
            created.TryGetValue(long.Parse(row[1]), out var day) && DateOnly.Parse(row[0]) < day ? "demo" : "recorded", row[^1]));
        Assert.Contains(csv, row => row[^1] == "demo");
        Assert.Contains(csv, row => row[^1] == "recorded" && DateOnly.Parse(row[0]) == today && created.ContainsKey(long.Parse(row[1])));
        Assert.All(StatisticsCsv.Write(await statistics.LoadAsync(new StatisticsQuery(UsageMetric.StorageBytes, last30), null))
            .TrimEnd('\r', '\n').Split("\r\n").Skip(1), row => Assert.EndsWith(",recorded", row));
    }

    [Fact]
    public async Task Without_ffmpeg_the_demo_media_is_the_built_in_clip_and_processes_all_the_same()
    {
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<DemoClips, NoFfmpeg>());

        var demo = await SeedAndProcessAsync(console);

        var builtIn = DemoClips.BuiltIn().Length;
        Assert.All(demo.SelectMany(d => d.Media), item =>
        {
            Assert.Equal(builtIn, item.SizeBytes);
            Assert.Equal(MediaStatus.Normal, item.Status);
            Assert.NotNull(item.CoverKey);
            Assert.InRange(item.DurationSeconds ?? 0, 0.9, 1.1);
        });
    }

    private sealed class NoFfmpeg(ILogger<DemoClips> logger) : DemoClips(logger)
    {
        protected override string Ffmpeg => "ffmpeg-that-is-not-installed";
    }
}
