using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;

namespace VodConsole.Tests.Audit;

/// <summary>The services put their changes on record, with who did them and the values before and after.</summary>
public sealed class AuditRecordingTests
{
    private static async Task<AuditEntry> LatestAsync(TestConsole console, string action) =>
        (await console.Get<AuditLog>().PageAsync(new AuditQuery(Action: action), null)).Entries.First();

    [Fact]
    public async Task Renaming_an_application_records_the_old_and_new_name_and_who_did_it()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var scope = await console.InApplicationAsync((await console.Get<ApplicationService>().ListAsync()).First().Id);
        var applications = scope.GetRequiredService<ApplicationService>();
        var created = await applications.CreateSubApplicationAsync("Before", null);

        await applications.UpdateAsync(created.Id, "After", "now described", created.Version);

        var entry = await LatestAsync(console, AuditActions.ApplicationUpdated);
        Assert.Equal(created.Id, entry.ApplicationId);
        Assert.Equal("{\"Name\":\"Before\",\"Description\":\"\"}", entry.Before);
        Assert.Equal("{\"Name\":\"After\",\"Description\":\"now described\"}", entry.After);
        Assert.Equal("admin", entry.Actor);
        Assert.Equal((await LatestAsync(console, AuditActions.ApplicationCreated)).Target, $"Application {created.Id} \"Before\"");
    }

    [Fact]
    public async Task Deleting_media_is_recorded_per_item()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        long id;
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            var item = new MediaItem { ApplicationId = app, Title = "Gone", Status = MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow };
            db.Media.Add(item);
            await db.SaveChangesAsync();
            id = item.Id;
        }

        await (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>().DeleteAsync(id);

        var entry = await LatestAsync(console, AuditActions.MediaDeleted);
        Assert.Equal($"Media {id} \"Gone\"", entry.Target);
        Assert.Equal(app, entry.ApplicationId);
        Assert.Null(entry.After);
    }

    [Fact]
    public async Task A_signing_key_change_is_recorded_without_the_key()
    {
        await using var console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;

        await (await console.InApplicationAsync(app)).GetRequiredService<PlaybackSettingsService>().SaveAsync(true, "Secret12345");

        var entry = await LatestAsync(console, AuditActions.PlaybackSettingsChanged);
        Assert.DoesNotContain("Secret12345", entry.Before + entry.After);
        Assert.Contains("\"KeyChanged\":true", entry.After);
    }

    [Fact]
    public async Task Granting_access_records_the_grants_before_and_after()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var userId = await console.AddUserAsync("grantee@vod.test");
        var users = (await console.InApplicationAsync(app)).GetRequiredService<UserAccessService>();

        await users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [app] = ApplicationAccess.ReadOnly });

        var entry = await LatestAsync(console, AuditActions.AccessChanged);
        Assert.Equal("User grantee@vod.test", entry.Target);
        Assert.Equal("{\"IsAdministrator\":false,\"Grants\":{}}", entry.Before);
        Assert.Equal($"{{\"IsAdministrator\":false,\"Grants\":{{\"{app}\":\"ReadOnly\"}}}}", entry.After);
    }

    [Fact]
    public async Task Grant_changes_appear_in_the_log_of_each_application_they_touch()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Grants A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Grants B", null)).Id;
        var userId = await console.AddUserAsync("moving@vod.test");
        var users = (await console.InApplicationAsync(a)).GetRequiredService<UserAccessService>();

        await users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [a] = ApplicationAccess.Full });
        await users.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [b] = ApplicationAccess.ReadOnly });

        async Task<IReadOnlyList<(string? Before, string? After)>> LogOfAsync(long app) =>
            (await console.Get<AuditLog>().PageAsync(new AuditQuery(ApplicationId: app, Action: AuditActions.ApplicationAccessChanged), null))
            .Entries.Where(e => e.Target == "User moving@vod.test").Select(e => (e.Before, e.After)).ToList();
        Assert.Equal(
            [("{\"Access\":\"Full\"}", "{\"Access\":\"None\"}"), ("{\"Access\":\"None\"}", "{\"Access\":\"Full\"}")],
            await LogOfAsync(a));
        Assert.Equal([("{\"Access\":\"None\"}", "{\"Access\":\"ReadOnly\"}")], await LogOfAsync(b));
    }

    [Fact]
    public async Task A_move_names_the_other_application_only_to_readers_who_may_see_it()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Source app", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Hidden destination", null)).Id;
        var storage = console.Get<IMediaStorage>();
        var item = new MediaItem
        {
            ApplicationId = a, Title = "Travelling", Status = MediaStatus.Normal, SizeBytes = 10, CreatedAt = DateTime.UtcNow,
            StorageKey = await storage.SaveAsync(a, new MemoryStream(new byte[10])),
        };
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(a))
        {
            db.Media.Add(item);
            await db.SaveChangesAsync();
        }
        await (await console.InApplicationAsync(a)).GetRequiredService<MediaMover>().MoveAsync([item.Id], b);
        var reader = await console.AddUserAsync("reader-a@vod.test");
        await (await console.InApplicationAsync(a)).GetRequiredService<UserAccessService>()
            .SetAccessAsync(reader, false, new Dictionary<long, ApplicationAccess> { [a] = ApplicationAccess.Full });

        var query = new AuditQuery(ApplicationId: a, Action: AuditActions.MediaMoved);
        var seenByA = (await (await console.AsUserAsync(reader, a)).GetRequiredService<AuditLog>().PageAsync(query, null)).Entries.Single();
        Assert.Equal("{\"Application\":\"Source app\",\"CategoryId\":null}", seenByA.Before);
        Assert.DoesNotContain(b.ToString(), seenByA.Before + seenByA.After + seenByA.Target);
        Assert.Contains("\"Application\":\"another application\"", seenByA.After);
        var csv = new List<AuditEntry>();
        await foreach (var entry in (await console.AsUserAsync(reader, a)).GetRequiredService<AuditLog>().AllAsync(query))
        {
            csv.Add(entry);
        }
        Assert.DoesNotContain(b.ToString(), AuditCsv.Row(csv.Single()));

        var seenByAdministrator = (await (await console.InApplicationAsync(a)).GetRequiredService<AuditLog>().PageAsync(query, null)).Entries.Single();
        Assert.Contains("\"Application\":\"Hidden destination\"", seenByAdministrator.After);

        // The destination's log has the arrival, and its readers are not told where from.
        var readerOfB = await console.AddUserAsync("reader-b@vod.test");
        await (await console.InApplicationAsync(b)).GetRequiredService<UserAccessService>()
            .SetAccessAsync(readerOfB, false, new Dictionary<long, ApplicationAccess> { [b] = ApplicationAccess.Full });
        var arrival = (await (await console.AsUserAsync(readerOfB, b)).GetRequiredService<AuditLog>()
            .PageAsync(new AuditQuery(ApplicationId: b), null)).Entries.Single(e => e.Target.Contains("Travelling"));
        Assert.Equal(AuditActions.MediaMovedIn, arrival.Action);
        Assert.Equal("{\"Application\":\"another application\",\"CategoryId\":null}", arrival.Before);
        Assert.Equal("{\"Application\":\"Hidden destination\",\"CategoryId\":null}", arrival.After);
        Assert.DoesNotContain(a.ToString(), arrival.Before + arrival.After + arrival.Target);
    }

    [Fact]
    public async Task A_refused_change_leaves_no_entry()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var reader = await console.AddUserAsync("reader@vod.test");
        await (await console.InApplicationAsync(app)).GetRequiredService<UserAccessService>()
            .SetAccessAsync(reader, false, new Dictionary<long, ApplicationAccess> { [app] = ApplicationAccess.ReadOnly });
        var categories = (await console.AsUserAsync(reader, app)).GetRequiredService<MediaCategories>();

        await Assert.ThrowsAsync<AccessDeniedException>(() => categories.CreateAsync("Nope"));

        Assert.Empty((await console.Get<AuditLog>().PageAsync(new AuditQuery(Action: AuditActions.CategoryCreated), null)).Entries);
    }
}
