using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

public sealed class IsolationTests
{
    private static async Task<(TestConsole Console, long A, long B)> TwoApplicationsWithMediaAsync()
    {
        var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        foreach (var app in new[] { a, b })
        {
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            db.Media.Add(NewMedia(app, $"Video of {app}"));
            db.MediaCategories.Add(new MediaCategory { ApplicationId = app, Name = "Trailers" });
            await db.SaveChangesAsync();
        }
        return (console, a, b);
    }

    private static MediaItem NewMedia(long applicationId, string title) => new()
    {
        ApplicationId = applicationId,
        Title = title,
        Status = MediaStatus.Normal,
        StorageKey = $"{applicationId}/{Guid.NewGuid():N}",
        CreatedAt = DateTime.UtcNow,
    };

    [Fact]
    public async Task A_context_of_one_application_sees_only_its_own_media_and_categories()
    {
        var (console, a, b) = await TwoApplicationsWithMediaAsync();
        await using var _ = console;
        await using var db = await console.Get<ApplicationData>().OpenForAsync(a);

        var media = await db.Media.ToListAsync();
        var categories = await db.MediaCategories.ToListAsync();

        Assert.All(media, m => Assert.Equal(a, m.ApplicationId));
        Assert.Single(media);
        Assert.Single(categories);
        Assert.Null(await db.Media.FirstOrDefaultAsync(m => m.ApplicationId == b)); // asking by ID does not help
        Assert.Equal(1, await db.Media.CountAsync()); // never counted either
    }

    [Fact]
    public async Task Another_applications_media_id_behaves_as_not_found()
    {
        var (console, a, b) = await TwoApplicationsWithMediaAsync();
        await using var _ = console;
        long idOfB;
        await using (var dbB = await console.Get<ApplicationData>().OpenForAsync(b))
        {
            idOfB = (await dbB.Media.SingleAsync()).Id;
        }

        await using var dbA = await console.Get<ApplicationData>().OpenForAsync(a);

        Assert.Null(await dbA.Media.FindAsync(idOfB));
        Assert.Equal(0, await dbA.Media.Where(m => m.Id == idOfB).ExecuteDeleteAsync());
    }

    [Fact]
    public async Task Saving_a_row_of_another_application_is_refused_and_nothing_is_written()
    {
        var (console, a, b) = await TwoApplicationsWithMediaAsync();
        await using var _ = console;
        await using var db = await console.Get<ApplicationData>().OpenForAsync(a);

        db.Media.Add(NewMedia(b, "Smuggled"));

        await Assert.ThrowsAsync<IsolationViolationException>(() => db.SaveChangesAsync());
        await using var system = await console.Get<ApplicationData>().OpenSystemWideAsync();
        Assert.False(await system.Media.AnyAsync(m => m.Title == "Smuggled"));
    }

    [Fact]
    public async Task Moving_a_row_to_another_application_needs_a_system_wide_context()
    {
        var (console, a, b) = await TwoApplicationsWithMediaAsync();
        await using var _ = console;
        await using var db = await console.Get<ApplicationData>().OpenForAsync(a);
        var mine = await db.Media.SingleAsync();

        mine.ApplicationId = b;

        await Assert.ThrowsAsync<IsolationViolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_context_isolated_to_no_application_sees_and_writes_no_application_data()
    {
        var (console, a, _) = await TwoApplicationsWithMediaAsync();
        await using var __ = console;
        await using var db = await console.OpenDbAsync();

        Assert.Empty(await db.Media.ToListAsync());
        db.Media.Add(NewMedia(a, "Unscoped"));
        await Assert.ThrowsAsync<IsolationViolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_system_wide_context_spans_applications()
    {
        var (console, a, b) = await TwoApplicationsWithMediaAsync();
        await using var _ = console;
        await using var db = await console.Get<ApplicationData>().OpenSystemWideAsync();

        // Application IDs are random: compare both sides sorted.
        Assert.Equal(new[] { a, b }.Order(), (await db.Media.Select(m => m.ApplicationId).ToListAsync()).Order());
    }
}
