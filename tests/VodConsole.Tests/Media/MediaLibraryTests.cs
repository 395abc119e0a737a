using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Media;

public sealed class MediaLibraryTests
{
    private static readonly DateTime Start = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    private static async Task AddMediaAsync(TestConsole console, long app, int count, DateTime from, string prefix = "Clip")
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        for (var i = 0; i < count; i++)
        {
            db.Media.Add(new MediaItem
            {
                ApplicationId = app, Title = $"{prefix} {i}", Status = i % 3 == 0 ? MediaStatus.Failed : MediaStatus.Normal,
                StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = from.AddMinutes(i / 2), // pairs share a timestamp
            });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Paging_walks_every_item_once_newest_first_even_when_items_are_added_meanwhile()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        await AddMediaAsync(console, app, 25, Start);
        var library = (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>();

        var seen = new List<MediaItem>();
        var page = await library.PageAsync(new MediaQuery(), null, size: 10);
        seen.AddRange(page.Items);
        await AddMediaAsync(console, app, 5, Start.AddDays(1), "Newer"); // lands before the first page
        while (page.Next is not null)
        {
            page = await library.PageAsync(new MediaQuery(), page.Next, size: 10);
            seen.AddRange(page.Items);
        }

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Select(m => m.Id).Distinct().Count());
        Assert.DoesNotContain(seen, m => m.Title.StartsWith("Newer"));
        Assert.Equal(seen.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Select(m => m.Id), seen.Select(m => m.Id));
    }

    [Fact]
    public async Task A_status_filter_pages_only_matching_items()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        await AddMediaAsync(console, app, 9, Start);
        var library = (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>();

        var failed = await library.PageAsync(new MediaQuery(Status: MediaStatus.Failed), null, size: 50);

        Assert.Equal(3, failed.Items.Count);
        Assert.All(failed.Items, m => Assert.Equal(MediaStatus.Failed, m.Status));
        Assert.Null(failed.Next);
    }

    [Fact]
    public async Task The_library_of_one_application_never_lists_or_deletes_anothers_media()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        await AddMediaAsync(console, a, 2, Start);
        await AddMediaAsync(console, b, 2, Start);
        var libraryOfA = (await console.InApplicationAsync(a)).GetRequiredService<MediaLibrary>();
        var idOfB = (await (await console.InApplicationAsync(b)).GetRequiredService<MediaLibrary>().PageAsync(new MediaQuery(), null)).Items[0].Id;

        var page = await libraryOfA.PageAsync(new MediaQuery(), null);

        Assert.All(page.Items, m => Assert.Equal(a, m.ApplicationId));
        Assert.Null(await libraryOfA.FindAsync(idOfB));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => libraryOfA.DeleteAsync(idOfB));
        Assert.NotNull(await (await console.InApplicationAsync(b)).GetRequiredService<MediaLibrary>().FindAsync(idOfB));
    }

    [Fact]
    public async Task Deleting_removes_the_row_the_file_and_its_share_of_storage()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        var storage = console.Get<IMediaStorage>();
        var key = await storage.SaveAsync(app, new MemoryStream(new byte[1000]));
        await console.ChangeLevelAsync(app, UsageMetric.StorageBytes, 1000);
        await console.ChangeLevelAsync(app, UsageMetric.MediaCount, 1);
        long id;
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            var item = new MediaItem { ApplicationId = app, Title = "Doomed", Status = MediaStatus.Normal, StorageKey = key, SizeBytes = 1000, CreatedAt = Start };
            db.Media.Add(item);
            await db.SaveChangesAsync();
            id = item.Id;
        }
        var library = (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>();

        await library.DeleteAsync(id);

        var today = console.Get<UsageRecorder>().Today;
        var figures = (await console.Get<UsageReport>().FiguresByApplicationAsync(today, today))[app];
        Assert.Null(await library.FindAsync(id));
        Assert.Null(storage.OpenRead(key));
        Assert.Equal(0, figures[UsageMetric.StorageBytes]);
        Assert.Equal(0, figures[UsageMetric.MediaCount]);
    }
}
