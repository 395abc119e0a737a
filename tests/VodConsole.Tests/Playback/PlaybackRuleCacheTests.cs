using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;

namespace VodConsole.Tests.Playback;

/// <summary>
/// The playback gate keeps its decisions for a moment: a change committed on the deciding instance applies at once, one
/// committed on another instance (with nothing announcing it here) within <see cref="PlaybackRuleCache.Lifetime"/>.
/// </summary>
public sealed class PlaybackRuleCacheTests
{
    private readonly TestClock clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The test's clock; signing keys are not used here, but the gate can decrypt them.</summary>
    private void Services(IServiceCollection services) =>
        services.AddSingleton<TimeProvider>(clock).AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());

    private static async Task<PlaybackVerdict> VerdictAsync(TestConsole console, long app, long media) =>
        (await console.Get<PlaybackGate>().OriginalAsync(app, media)).Verdict;

    private async Task<(long App, long Media)> PlayableAsync(TestConsole console)
    {
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = "Clip", Status = MediaStatus.Normal, StorageKey = $"{app}/clip.mp4", SizeBytes = 1,
            ContentType = "video/mp4", CreatedAt = clock.Now.UtcDateTime,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return (app, item.Id);
    }

    private static async Task ChangeAsync(TestConsole console, long app, long media, Action<MediaItem> change)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        change(await db.Media.SingleAsync(m => m.Id == media));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_block_applies_at_once_where_it_was_made_and_within_the_lifetime_on_another_instance()
    {
        await using var console = await TestConsole.StartAsync(Services);
        await using var other = await console.StartAnotherAsync(Services);
        var (app, media) = await PlayableAsync(console);
        Assert.Equal(PlaybackVerdict.Allowed, await VerdictAsync(console, app, media));
        Assert.Equal(PlaybackVerdict.Allowed, await VerdictAsync(other, app, media));

        await ChangeAsync(console, app, media, m => m.ReviewState = ReviewState.Blocked);

        Assert.Equal(PlaybackVerdict.Forbidden, await VerdictAsync(console, app, media));
        Assert.Equal(PlaybackVerdict.Allowed, await VerdictAsync(other, app, media)); // its decision of a moment ago
        clock.Now += PlaybackRuleCache.Lifetime;
        Assert.Equal(PlaybackVerdict.Forbidden, await VerdictAsync(other, app, media));
    }

    [Fact]
    public async Task A_change_inside_a_transaction_applies_once_it_commits_and_a_decision_read_before_is_not_kept()
    {
        await using var console = await TestConsole.StartAsync(Services);
        var (app, media) = await PlayableAsync(console);
        Assert.Equal(PlaybackVerdict.Allowed, await VerdictAsync(console, app, media));

        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Media.SingleAsync(m => m.Id == media)).Status = MediaStatus.Failed;
            await db.SaveChangesAsync();
            // Read from the committed rows while the change is saved but not committed (SQLite: another connection
            // reads the last commit): the old decision, which must not outlive the commit.
            Assert.Equal(PlaybackVerdict.Allowed, await VerdictAsync(console, app, media));
            await transaction.CommitAsync();
        }

        Assert.Equal(PlaybackVerdict.NotFound, await VerdictAsync(console, app, media));
    }
}
