using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Media;

/// <summary>Media and callback event IDs cannot be enumerated or counted; old small IDs keep working; nothing orders by them.</summary>
public sealed class RandomIdTests
{
    private static readonly DateTime Start = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    private static async Task<long> AddMediaAsync(TestConsole console, long app, string title, int minutes = 0)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Status = MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}",
            CreatedAt = Start.AddMinutes(minutes),
        };
        db.Media.Add(item);
        Assert.NotEqual(0, item.Id); // known as soon as it is added, before the save
        await db.SaveChangesAsync();
        return item.Id;
    }

    private static void AssertRandom(IReadOnlyList<long> ids)
    {
        Assert.All(ids, id => Assert.InRange(id, RandomIdGenerator.MinId, RandomIdGenerator.MaxId));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Twelve IDs in ascending (or descending) order by chance: one in 12!/2, about four in a billion.
        Assert.False(ids.SequenceEqual(ids.Order()) || ids.SequenceEqual(ids.OrderDescending()), "IDs follow the order they were made in");
    }

    [Fact]
    public async Task New_media_and_event_ids_are_random_numbers_that_javascript_reads_exactly()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Random");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull);

        var media = new List<long>();
        var events = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            media.Add(await AddMediaAsync(console, app, $"Clip {i}", minutes: i));
            events.Add((await (await console.InAppAsync<CallbackLog>(app)).SendTestAsync()).Id);
        }

        AssertRandom(media);
        AssertRandom(events);
        Assert.True(RandomIdGenerator.MaxId <= (1L << 53) - 1);
    }

    [Fact]
    public async Task An_item_with_an_old_sequential_id_is_still_found_edited_searched_and_deleted()
    {
        await using var console = await TestConsole.StartAsync();
        var app = await console.CreateApplicationAsync("Old rows");
        // Written as a tool would, outside the console's services, with every column a row of that time has after the
        // migrations (an empty list of storyboard frames is JSON on SQLite, an array on PostgreSQL).
        await using (var db = await console.OpenDbAsync())
        {
            var made = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var noFrames = console.Database.Options.IsSqlite ? "'[]'" : "ARRAY[]::text[]";
#pragma warning disable EF1002 // the one interpolated piece is one of the two literals above, never input
            await db.Database.ExecuteSqlRawAsync($$"""
                INSERT INTO "Media" ("Id", "ApplicationId", "Title", "Description", "Tags", "Status", "OriginalFileName", "ContentType",
                                     "SizeBytes", "StorageKey", "ReviewState", "StoryboardKeys", "CreatedAt", "ModifiedAt", "Version")
                VALUES (7, {0}, 'Made before random IDs', '', '', 'Normal', 'old.mp4', 'video/mp4', 10, {1}, 'Approved', {{noFrames}},
                        {2}, {2}, 0)
                """, app, $"{app}/{Guid.NewGuid():N}", made);
#pragma warning restore EF1002
        }
        var newer = await AddMediaAsync(console, app, "Made after");

        var library = await console.InAppAsync<MediaLibrary>(app);
        var old = await library.FindAsync(7);
        Assert.NotNull(old);
        await (await console.InAppAsync<MediaEditor>(app)).UpdateDetailsAsync(7, new MediaDetailsEdit("Renamed old one", null, null, null), old.Version);
        Assert.Equal([7L], (await library.PageAsync(new MediaQuery("renamed"), null)).Items.Select(m => m.Id));
        Assert.Equal([newer, 7L], (await library.PageAsync(new MediaQuery(), null)).Items.Select(m => m.Id)); // newest first, by time
        await library.DeleteAsync(7);
        Assert.Null(await library.FindAsync(7));
    }

    [Fact]
    public async Task The_callback_log_and_the_pull_queue_follow_time_not_ids()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Timeline");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull);
        // IDs chosen against time: the oldest event has the largest ID; two share a time.
        long[] ids = [900, 800, 700, 600, 500];
        int[] minutes = [0, 1, 2, 2, 3];
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                db.CallbackEvents.Add(new CallbackEvent
                {
                    Id = ids[i], ApplicationId = app, Type = CallbackEventType.Test, Delivery = CallbackMode.Pull,
                    State = CallbackEventState.Pending, CreatedAt = Start.AddMinutes(minutes[i]),
                });
            }
            await db.SaveChangesAsync();
        }

        var log = await console.InAppAsync<CallbackLog>(app);
        var newestFirst = new List<long>();
        CallbackLogCursor? before = null;
        do
        {
            var page = await log.PageAsync(before, size: 2);
            newestFirst.AddRange(page.Events.Select(e => e.Id));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal([500L, 700, 600, 800, 900], newestFirst);
        Assert.Equal([900L, 800, 600, 700, 500], (await console.Get<CallbackQueue>().ReadAsync(app)).Select(e => e.EventId));
    }
}
