using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;
using VodConsole.Core.Usage;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Review;

/// <summary>
/// Review per application with real uploads, real ffmpeg storyboards and real SQLite: the mode decides a new item's
/// state, decisions are checked, audited and metered once, and another application's item is not found.
/// </summary>
public sealed class MediaReviewTests : IAsyncLifetime
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-review-");
    private TestConsole console = null!;
    private long a;
    private long b;
    private string video = "";

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        await console.EnableSubApplicationsAsync();
        a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Review A", null)).Id;
        b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Review B", null)).Id;
        video = await TestMedia.VideoAsync(work.FullName, "clip.mp4");
    }

    public async ValueTask DisposeAsync()
    {
        await console.DisposeAsync();
        work.Delete(recursive: true);
    }

    private async Task<MediaReview> ReviewOf(long app) => (await console.InApplicationAsync(app)).GetRequiredService<MediaReview>();

    /// <summary>Uploads the clip to the application and processes it, as the worker would.</summary>
    private async Task<MediaItem> UploadAsync(long app)
    {
        var uploaded = await console.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", File.OpenRead(video), MediaOptions.DefaultMaxUploadBytes);
        await console.Get<MediaProcessor>().ProcessPendingAsync();
        return await ItemAsync(app, uploaded.Id);
    }

    private async Task<MediaItem> ItemAsync(long app, long id)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<long> ReviewSecondsAsync(long app)
    {
        await using var db = await console.OpenDbAsync();
        return await db.DailyUsage.Where(u => u.ApplicationId == app && u.Metric == UsageMetric.ReviewSeconds).SumAsync(u => u.Value);
    }

    private async Task<List<string>> AuditActionsAsync(long app)
    {
        await using var db = await console.OpenDbAsync();
        return await db.AuditEntries.Where(e => e.ApplicationId == app).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
    }

    [Fact]
    public async Task Items_uploaded_while_review_is_off_are_approved_and_get_no_storyboard()
    {
        var item = await UploadAsync(a);

        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.Equal(ReviewState.Approved, item.ReviewState);
        Assert.Empty(item.StoryboardKeys);
        Assert.Empty(await (await ReviewOf(a)).QueueAsync());
        var review = await ReviewOf(a);
        Assert.Equal("\"clip\" is already approved.", (await Assert.ThrowsAsync<DomainRuleException>(() => review.ApproveAsync(item.Id))).Message);
        Assert.Equal(0, await ReviewSecondsAsync(a));
    }

    [Fact]
    public async Task In_manual_mode_a_new_item_awaits_review_with_a_storyboard_of_six_stored_frames()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);

        var item = await UploadAsync(a);

        Assert.Equal(MediaStatus.Normal, item.Status);
        Assert.Equal(ReviewState.Awaiting, item.ReviewState);
        Assert.Equal(MediaReview.StoryboardFrames, item.StoryboardKeys.Distinct().Count());
        foreach (var key in item.StoryboardKeys)
        {
            var probed = await new MediaProbe().ProbeAsync(console.Get<IMediaStorage>().LocalPathOf(key)!);
            Assert.Equal(320, probed.Width);
        }
        var queued = Assert.Single(await (await ReviewOf(a)).QueueAsync());
        Assert.Equal((item.Id, MediaReview.StoryboardFrames), (queued.MediaId, queued.StoryboardFrames));
        Assert.Equal(new ReviewModeSetting(ReviewMode.Manual, 1), await (await ReviewOf(a)).GetModeAsync());
        Assert.Equal(new ReviewModeSetting(ReviewMode.Off, 0), await (await ReviewOf(b)).GetModeAsync());
        Assert.Contains(AuditActions.ReviewModeChanged, await AuditActionsAsync(a));
    }

    [Fact]
    public async Task Approving_meters_the_duration_once_and_a_later_block_is_audited_but_not_metered_again()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);

        await (await ReviewOf(a)).ApproveAsync(item.Id);
        Assert.Equal(ReviewState.Approved, (await ItemAsync(a, item.Id)).ReviewState);
        Assert.Equal(2, await ReviewSecondsAsync(a));

        await (await ReviewOf(a)).BlockAsync(item.Id, "  Shows a licensed logo  ");
        var blocked = await ItemAsync(a, item.Id);
        Assert.Equal((ReviewState.Blocked, "Shows a licensed logo"), (blocked.ReviewState, blocked.ReviewReason));
        Assert.Equal(2, await ReviewSecondsAsync(a));
        Assert.Empty(await (await ReviewOf(a)).QueueAsync());
        Assert.Equal(0, await ReviewSecondsAsync(b));

        var actions = await AuditActionsAsync(a);
        Assert.Equal([AuditActions.MediaApproved, AuditActions.MediaBlocked], actions.Where(x => x.StartsWith("review.", StringComparison.Ordinal) && x != AuditActions.ReviewModeChanged));
        Assert.NotNull(MediaReview.Refusal(blocked.ReviewState, blocked.ReviewReason));
        Assert.Contains("Shows a licensed logo", MediaReview.Refusal(blocked.ReviewState, blocked.ReviewReason));
    }

    public static TheoryData<string?, string> BadReasons() => new()
    {
        { null, "Enter the reason for blocking this item." },
        { "   ", "Enter the reason for blocking this item." },
        { new string('x', 201), "The reason is 201 characters long; at most 200 are allowed." },
        { "Bad\u0007reason", "The reason contains an invisible control character (U+0007); remove it." },
    };

    [Theory]
    [MemberData(nameof(BadReasons))]
    public async Task Blocking_needs_a_reason_of_1_to_200_plain_characters_and_nothing_changes_without_one(string? reason, string message)
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);

        var review = await ReviewOf(a);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => review.BlockAsync(item.Id, reason));

        Assert.Equal(message, refused.Message);
        var stored = await ItemAsync(a, item.Id);
        Assert.Equal((ReviewState.Awaiting, null, null), (stored.ReviewState, stored.ReviewReason, stored.ReviewedAt));
        Assert.Equal(0, await ReviewSecondsAsync(a));
    }

    [Fact]
    public async Task A_read_only_user_sees_the_queue_but_may_not_decide_or_change_the_mode()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);
        var reader = await console.AddUserAsync("reader@vod.test");
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = reader, ApplicationId = a, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var review = (await console.AsUserAsync(reader, a)).GetRequiredService<MediaReview>();

        Assert.Single(await review.QueueAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => review.ApproveAsync(item.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => review.BlockAsync(item.Id, "No"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => review.SetModeAsync(ReviewMode.Off, 1));
        Assert.Equal(ReviewState.Awaiting, (await ItemAsync(a, item.Id)).ReviewState);
    }

    [Fact]
    public async Task Another_applications_item_is_not_found_and_stays_as_it_was()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);
        var review = await ReviewOf(b);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => review.ApproveAsync(item.Id));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => review.BlockAsync(item.Id, "Not yours"));
        Assert.Null(await review.StoryboardKeyAsync(item.Id, 0));
        Assert.Empty(await review.QueueAsync());
        Assert.Equal(ReviewState.Awaiting, (await ItemAsync(a, item.Id)).ReviewState);
    }

    [Fact]
    public async Task Deleting_an_item_deletes_its_storyboard_and_moving_it_moves_the_frames_with_it()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var storage = console.Get<IMediaStorage>();
        var moved = await UploadAsync(a);
        var deleted = await UploadAsync(a);

        await (await console.InApplicationAsync(a)).GetRequiredService<MediaMover>().MoveAsync([moved.Id], b);
        await (await console.InApplicationAsync(a)).GetRequiredService<MediaLibrary>().DeleteAsync(deleted.Id);

        Assert.All(deleted.StoryboardKeys, key => Assert.Null(storage.LocalPathOf(key)));
        Assert.All(moved.StoryboardKeys, key => Assert.Null(storage.LocalPathOf(key)));
        var arrived = await ItemAsync(b, moved.Id);
        Assert.Equal(MediaReview.StoryboardFrames, arrived.StoryboardKeys.Count);
        Assert.All(arrived.StoryboardKeys, key => Assert.NotNull(storage.LocalPathOf(key)));
        Assert.NotNull(await (await ReviewOf(b)).StoryboardKeyAsync(moved.Id, MediaReview.StoryboardFrames - 1));
    }

    /// <summary>A user with full access to the application, as a second reviewer.</summary>
    private async Task<MediaReview> SecondReviewerAsync(long app, string name, ApplicationAccess access = ApplicationAccess.Full)
    {
        var user = await console.AddUserAsync(name);
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = user, ApplicationId = app, Access = access });
            await db.SaveChangesAsync();
        }
        return (await console.AsUserAsync(user, app)).GetRequiredService<MediaReview>();
    }

    [Fact]
    public async Task Of_two_reviewers_deciding_the_same_item_the_second_is_told_who_decided_and_nothing_is_overwritten()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);
        var first = await ReviewOf(a);
        var second = await SecondReviewerAsync(a, "second@vod.test");
        // Both opened the queue while the item was awaiting review.
        var seen = Assert.Single(await second.QueueAsync()).Version;

        await first.ApproveAsync(item.Id, seen);
        var refused = await Assert.ThrowsAsync<ReviewConflictException>(() => second.BlockAsync(item.Id, "Shows a licensed logo", seen));

        Assert.StartsWith("\"clip\" was already approved by admin (", refused.Message);
        Assert.Contains("Your decision was not saved", refused.Message);
        var stored = await ItemAsync(a, item.Id);
        Assert.Equal((ReviewState.Approved, null, "admin"), (stored.ReviewState, stored.ReviewReason, stored.ReviewedBy));
        Assert.Single(await AuditActionsAsync(a), x => x == AuditActions.MediaApproved);
        Assert.DoesNotContain(AuditActions.MediaBlocked, await AuditActionsAsync(a));
        Assert.Equal(2, await ReviewSecondsAsync(a));
        // Approving again without a version is refused as well, naming the first reviewer.
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => second.ApproveAsync(item.Id));
        Assert.StartsWith("\"clip\" is already approved (by admin, ", again.Message);
    }

    [Fact]
    public async Task Unblocking_approves_a_blocked_item_with_its_own_audit_entry_and_the_lists_follow_each_decision()
    {
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);
        var review = await ReviewOf(a);

        await review.BlockAsync(item.Id, "Shows a licensed logo", item.Version);
        var blocked = Assert.Single(await review.DecidedAsync(ReviewState.Blocked));
        Assert.Equal((item.Id, ReviewState.Blocked, "Shows a licensed logo", "admin"), (blocked.MediaId, blocked.State, blocked.Reason, blocked.ReviewedBy));
        Assert.Empty(await review.QueueAsync());
        Assert.Empty(await review.DecidedAsync(ReviewState.Approved));

        await review.ApproveAsync(item.Id, blocked.Version);

        var approved = Assert.Single(await review.DecidedAsync(ReviewState.Approved));
        Assert.Equal((item.Id, ReviewState.Approved, null), (approved.MediaId, approved.State, approved.Reason));
        Assert.Empty(await review.DecidedAsync(ReviewState.Blocked));
        Assert.Null(MediaReview.Refusal(approved.State, approved.Reason));
        Assert.Equal([AuditActions.MediaBlocked, AuditActions.MediaUnblocked],
            (await AuditActionsAsync(a)).Where(x => x.StartsWith("review.", StringComparison.Ordinal) && x != AuditActions.ReviewModeChanged));
        Assert.Equal(2, await ReviewSecondsAsync(a)); // the first decision only
        // The stale version of the blocked item is refused now that it was unblocked.
        await Assert.ThrowsAsync<ReviewConflictException>(() => review.BlockAsync(item.Id, "Again", blocked.Version));
        await Assert.ThrowsAsync<DomainRuleException>(() => review.DecidedAsync(ReviewState.Awaiting));
        // Items approved without review (mode Off) are not decisions.
        var unreviewed = await UploadAsync(b);
        Assert.Empty(await (await ReviewOf(b)).DecidedAsync(ReviewState.Approved));
        Assert.Equal(ReviewState.Approved, unreviewed.ReviewState);
    }

    [Fact]
    public async Task A_stale_save_of_the_review_mode_is_refused_and_changes_nothing()
    {
        var first = await ReviewOf(a);
        var second = await SecondReviewerAsync(a, "mode@vod.test");
        var seenByFirst = await first.GetModeAsync();
        var seenBySecond = await second.GetModeAsync();

        await first.SetModeAsync(ReviewMode.Manual, seenByFirst.Version);
        var refused = await Assert.ThrowsAsync<ReviewConflictException>(() => second.SetModeAsync(ReviewMode.Off, seenBySecond.Version));

        Assert.Equal("The review mode was changed by someone else after you opened this page (it is now Manual). Your change was not saved; "
            + "look at it again and save if you still want to.", refused.Message);
        var now = await second.GetModeAsync();
        Assert.Equal(ReviewMode.Manual, now.Mode);
        Assert.Single(await AuditActionsAsync(a), x => x == AuditActions.ReviewModeChanged);

        // Starting again from what is stored works, and a save from the same stale version is refused again.
        await second.SetModeAsync(ReviewMode.Off, now.Version);
        Assert.Equal(ReviewMode.Off, (await first.GetModeAsync()).Mode);
        await Assert.ThrowsAsync<ReviewConflictException>(() => first.SetModeAsync(ReviewMode.Manual, now.Version));
    }

    [Fact]
    public async Task Each_decision_records_a_ReviewComplete_event_with_the_item_decision_reason_reviewer_and_time()
    {
        await console.ConfigureCallbacksAsync(a, CallbackMode.Pull, null, CallbackEventType.ReviewComplete);
        await (await ReviewOf(a)).SetModeAsync(ReviewMode.Manual, 0);
        var item = await UploadAsync(a);
        var review = await ReviewOf(a);

        await review.BlockAsync(item.Id, "Shows a licensed logo");
        await review.ApproveAsync(item.Id);
        await Assert.ThrowsAsync<DomainRuleException>(() => review.ApproveAsync(item.Id));

        var events = (await console.EventsAsync()).Where(e => e.ApplicationId == a).ToList();
        Assert.All(events, e => Assert.Equal(CallbackEventType.ReviewComplete, e.Type));
        Assert.Equal(2, events.Count); // a refused decision sends nothing
        var stored = await ItemAsync(a, item.Id);
        var blocked = JsonDocument.Parse(events[0].Data).RootElement;
        Assert.Equal(item.Id, blocked.GetProperty("MediaId").GetInt64());
        Assert.Equal("clip", blocked.GetProperty("Title").GetString());
        Assert.Equal("Blocked", blocked.GetProperty("Decision").GetString());
        Assert.Equal("Awaiting", blocked.GetProperty("PreviousState").GetString());
        Assert.Equal("Shows a licensed logo", blocked.GetProperty("Reason").GetString());
        Assert.Equal("admin", blocked.GetProperty("Reviewer").GetString());
        var unblocked = JsonDocument.Parse(events[1].Data).RootElement;
        Assert.Equal(("Approved", "Blocked", JsonValueKind.Null), (unblocked.GetProperty("Decision").GetString(),
            unblocked.GetProperty("PreviousState").GetString(), unblocked.GetProperty("Reason").ValueKind));
        // To the microsecond: PostgreSQL keeps no finer time than that.
        Assert.Equal(stored.ReviewedAt!.Value, unblocked.GetProperty("ReviewedAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMicroseconds(1));
        // The envelope names the event type and the application as push and pull deliver it.
        var envelope = JsonDocument.Parse(CallbackPayload.Envelope(events[1])).RootElement;
        Assert.Equal(("ReviewComplete", a), (envelope.GetProperty("EventType").GetString(), envelope.GetProperty("SubAppId").GetInt64()));
    }
}
