using VodConsole.Core.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Media;

public sealed class MediaBulkActionTests
{
    private sealed record Setup(TestConsole Console, long A, long B, IServiceProvider InA)
    {
        public MediaLibrary LibraryOfA => InA.GetRequiredService<MediaLibrary>();
        public MediaMover MoverOfA => InA.GetRequiredService<MediaMover>();
    }

    private static async Task<Setup> StartAsync()
    {
        var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        return new Setup(console, a, b, await console.InApplicationAsync(a));
    }

    /// <summary>A stored media item with a real file and cover, counted in the application's storage figures.</summary>
    private static async Task<MediaItem> AddAsync(TestConsole console, long app, string title, MediaStatus status = MediaStatus.Normal)
    {
        var storage = console.Get<IMediaStorage>();
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Status = status, SizeBytes = 100,
            StorageKey = await storage.SaveAsync(app, new MemoryStream(new byte[100])),
            CoverKey = await storage.SaveAsync(app, new MemoryStream(new byte[10])),
            CreatedAt = DateTime.UtcNow,
        };
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        await console.ChangeLevelAsync(app, UsageMetric.StorageBytes, 100);
        await console.ChangeLevelAsync(app, UsageMetric.MediaCount, 1);
        return item;
    }

    private static async Task<(double Storage, double Count)> FiguresAsync(TestConsole console, long app)
    {
        var today = console.Get<UsageRecorder>().Today;
        var figures = (await console.Get<UsageReport>().FiguresByApplicationAsync(today, today))[app];
        return (figures[UsageMetric.StorageBytes], figures[UsageMetric.MediaCount]);
    }

    [Fact]
    public async Task Moving_hands_rows_files_and_storage_figures_to_the_other_application()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var first = await AddAsync(s.Console, s.A, "First");
        var second = await AddAsync(s.Console, s.A, "Second");

        await s.MoverOfA.MoveAsync([first.Id, second.Id], s.B);

        var libraryOfB = (await s.Console.InApplicationAsync(s.B)).GetRequiredService<MediaLibrary>();
        var moved = await libraryOfB.FindAsync(first.Id);
        Assert.NotNull(moved);
        Assert.Null(await s.LibraryOfA.FindAsync(first.Id));
        Assert.StartsWith($"{s.B}/", moved.StorageKey);
        var storage = s.Console.Get<IMediaStorage>();
        Assert.NotNull(storage.OpenRead(moved.StorageKey));
        Assert.NotNull(storage.OpenRead(moved.CoverKey!));
        Assert.Null(storage.OpenRead(first.StorageKey));
        Assert.Equal((0, 0), await FiguresAsync(s.Console, s.A));
        Assert.Equal((200, 2), await FiguresAsync(s.Console, s.B));
    }

    [Fact]
    public async Task Moved_media_arrives_uncategorised_because_categories_stay_with_their_application()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var item = await AddAsync(s.Console, s.A, "Filed");
        await using (var db = await s.Console.Get<ApplicationData>().OpenForAsync(s.A))
        {
            var category = new MediaCategory { ApplicationId = s.A, Name = "Keep here" };
            db.MediaCategories.Add(category);
            await db.SaveChangesAsync();
            await s.LibraryOfA.SetCategoryAsync([item.Id], category.Id);
        }

        await s.MoverOfA.MoveAsync([item.Id], s.B);

        var moved = await (await s.Console.InApplicationAsync(s.B)).GetRequiredService<MediaLibrary>().FindAsync(item.Id);
        Assert.Null(moved!.CategoryId);
    }

    [Fact]
    public async Task Another_applications_media_in_a_selection_is_not_found_and_nothing_changes()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var own = await AddAsync(s.Console, s.A, "Own");
        var foreign = await AddAsync(s.Console, s.B, "Foreign");

        var move = await Assert.ThrowsAsync<ResourceNotFoundException>(() => s.MoverOfA.MoveAsync([own.Id, foreign.Id], s.B));
        var delete = await Assert.ThrowsAsync<ResourceNotFoundException>(() => s.LibraryOfA.DeleteAsync([own.Id, foreign.Id]));
        var categorise = await Assert.ThrowsAsync<ResourceNotFoundException>(() => s.LibraryOfA.SetCategoryAsync([own.Id, foreign.Id], null));

        Assert.All([move, delete, categorise], e => Assert.StartsWith("Not found", e.Message));
        Assert.NotNull(await s.LibraryOfA.FindAsync(own.Id));
        Assert.NotNull(s.Console.Get<IMediaStorage>().OpenRead(own.StorageKey));
        Assert.NotNull(await (await s.Console.InApplicationAsync(s.B)).GetRequiredService<MediaLibrary>().FindAsync(foreign.Id));
    }

    [Fact]
    public async Task A_bulk_action_takes_at_most_twenty_items()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var ids = new List<long>();
        for (var i = 0; i < 21; i++)
        {
            ids.Add((await AddAsync(s.Console, s.A, $"Item {i}")).Id);
        }

        var tooMany = await Assert.ThrowsAsync<DomainRuleException>(() => s.LibraryOfA.DeleteAsync(ids));
        await s.LibraryOfA.DeleteAsync(ids.Take(20).ToList());

        Assert.Contains("at most 20", tooMany.Message);
        Assert.Equal((100, 1), await FiguresAsync(s.Console, s.A));
    }

    [Fact]
    public async Task Media_cannot_move_to_a_disabled_unknown_or_the_same_application_nor_while_processing()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var ready = await AddAsync(s.Console, s.A, "Ready");
        var busy = await AddAsync(s.Console, s.A, "Busy", MediaStatus.Processing);
        var applications = s.Console.Get<ApplicationService>();
        var disabled = (await applications.CreateSubApplicationAsync("Off", null)).Id;
        var inA = await s.Console.InApplicationAsync(s.A); // a catalog loaded while "Off" was still enabled
        var off = (await applications.FindAsync(disabled))!;
        await applications.SetStatusAsync(disabled, ApplicationStatus.Disabled, off.Version);
        var mover = inA.GetRequiredService<MediaMover>();

        Assert.Contains("already in this application", (await Assert.ThrowsAsync<DomainRuleException>(() => mover.MoveAsync([ready.Id], s.A))).Message);
        Assert.StartsWith("Not found", (await Assert.ThrowsAsync<AccessDeniedException>(() => mover.MoveAsync([ready.Id], 123456))).Message);
        Assert.Contains("disabled", (await Assert.ThrowsAsync<DomainRuleException>(() => mover.MoveAsync([ready.Id], disabled))).Message);
        Assert.Contains("being processed", (await Assert.ThrowsAsync<DomainRuleException>(() => mover.MoveAsync([ready.Id, busy.Id], s.B))).Message);
        Assert.NotNull(await s.LibraryOfA.FindAsync(ready.Id));
        Assert.NotNull(s.Console.Get<IMediaStorage>().OpenRead(ready.StorageKey));
    }

    [Fact]
    public async Task A_category_of_another_application_cannot_be_assigned()
    {
        var s = await StartAsync();
        await using var _ = s.Console;
        var item = await AddAsync(s.Console, s.A, "Mine");
        long foreignCategory;
        await using (var db = await s.Console.Get<ApplicationData>().OpenForAsync(s.B))
        {
            var category = new MediaCategory { ApplicationId = s.B, Name = "B only" };
            db.MediaCategories.Add(category);
            await db.SaveChangesAsync();
            foreignCategory = category.Id;
        }

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => s.LibraryOfA.SetCategoryAsync([item.Id], foreignCategory));

        Assert.StartsWith("Not found", refused.Message);
        await using var check = await s.Console.OpenDbAsync();
        Assert.Null((await check.Media.IgnoreQueryFilters().SingleAsync(m => m.Id == item.Id)).CategoryId);
    }
}
