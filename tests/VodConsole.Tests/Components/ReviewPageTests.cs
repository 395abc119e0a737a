using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Review;
using VodConsole.Core.Roles;
using VodConsole.Web.Review;

namespace VodConsole.Tests.Components;

/// <summary>The Review page as reviewers drive it: the queue with storyboards, approve, block with a reason; read-only users only look.</summary>
public sealed class ReviewPageTests : ConsoleComponentContext
{
    private async Task<long> CreateApplicationAsync(string name) =>
        (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync(name, null)).Id;

    private IRenderedComponent<ReviewPage> RenderPage(long appId) => Render<ReviewPage>(p => p.Add(d => d.AppId, appId));

    private IDbContextFactory<VodDbContext> Db => Services.GetRequiredService<IDbContextFactory<VodDbContext>>();

    /// <summary>An item awaiting review with a storyboard of two frames, as processing leaves it.</summary>
    private async Task<MediaItem> AwaitingAsync(long app, string title)
    {
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Status = MediaStatus.Normal, ContentType = "video/mp4", StorageKey = $"{app}/{Guid.NewGuid():N}",
            DurationSeconds = 4, ReviewState = ReviewState.Awaiting, StoryboardKeys = [$"{app}/frame-1", $"{app}/frame-2"],
            CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    private async Task<MediaItem> StoredAsync(long id)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Media.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private static IElement InputOf(IElement element) => element.TagName == "INPUT" ? element : element.QuerySelector("input")!;

    private static IElement ItemNamed(IRenderedComponent<ReviewPage> page, string title) =>
        page.FindAll("[data-testid='review-item']").Single(e => e.QuerySelector("[data-testid='review-item-title']")!.TextContent.Trim() == title);

    [Fact]
    public async Task A_reviewer_sees_each_storyboard_approves_one_item_and_blocks_another_only_with_a_reason()
    {
        var app = await CreateApplicationAsync("Reviewed");
        await EnterApplicationAsync(app);
        var approved = await AwaitingAsync(app, "Harbour");
        var blocked = await AwaitingAsync(app, "Logo");
        var page = RenderPage(app);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='review-item']").Count));
        Assert.Equal(
            [$"/apps/{app}/media/{approved.Id}/storyboard/0", $"/apps/{app}/media/{approved.Id}/storyboard/1"],
            ItemNamed(page, "Harbour").QuerySelectorAll("[data-testid='review-frame']").Select(f => f.GetAttribute("src")));

        // Found and clicked in one dispatch: the page re-renders as its data loads, which would drop a handler found earlier.
        await page.InvokeAsync(() => ItemNamed(page, "Harbour").QuerySelector("[data-testid='review-approve']")!.Click());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='review-item']")));
        Assert.Equal(ReviewState.Approved, (await StoredAsync(approved.Id)).ReviewState);

        await page.InvokeAsync(() => ItemNamed(page, "Logo").QuerySelector("[data-testid='review-block']")!.Click());
        page.WaitForAssertion(() => Assert.Contains("Enter the reason for blocking this item.", Snackbars()));
        Assert.Equal(ReviewState.Awaiting, (await StoredAsync(blocked.Id)).ReviewState);

        await page.InvokeAsync(() => InputOf(ItemNamed(page, "Logo").QuerySelector("[data-testid='review-reason']")!).Change("Shows a licensed logo"));
        await page.InvokeAsync(() => ItemNamed(page, "Logo").QuerySelector("[data-testid='review-block']")!.Click());
        page.WaitForElement("[data-testid='review-queue-empty']");
        var stored = await StoredAsync(blocked.Id);
        Assert.Equal((ReviewState.Blocked, "Shows a licensed logo"), (stored.ReviewState, stored.ReviewReason));
    }

    [Fact]
    public async Task A_read_only_user_sees_the_mode_and_the_queue_without_any_control()
    {
        var app = await CreateApplicationAsync("Watched");
        await EnterApplicationAsync(app);
        await Services.GetRequiredService<MediaReview>().SetModeAsync(ReviewMode.Manual, 0);
        await AwaitingAsync(app, "Harbour");

        var viewer = new ConsoleUser { UserName = "viewer@vod.test", Email = "viewer@vod.test" };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(viewer, TestConsole.OwnerPassword);
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = viewer.Id, ApplicationId = app, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var catalog = (await Services.GetRequiredService<RoleResolver>().LoadCatalogAsync(viewer.Id))!;
        Services.GetRequiredService<RoleContext>().Enter(catalog, catalog.Resolve(new RoleRoute(RoleRouteKind.Application, app)));

        var page = RenderPage(app);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='review-item']")));
        Assert.Equal("Manual", page.Find("[data-testid='review-mode-name']").TextContent.Trim());
        Assert.Equal(2, page.FindAll("[data-testid='review-frame']").Count);
        foreach (var control in new[] { "review-approve", "review-block", "review-reason", "review-mode-select", "review-mode-save" })
        {
            Assert.Empty(page.FindAll($"[data-testid='{control}']"));
        }
    }

    private string Snackbars() => Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Aggregate("", (all, s) => all + s.Message);

    private static async Task OpenTabAsync(IRenderedComponent<ReviewPage> page, string startsWith)
    {
        bool Named(IElement tab) => tab.TextContent.Trim().StartsWith(startsWith, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".mud-tab"), Named));
        await page.FindSingleAndClickAsync(".mud-tab", Named);
    }

    [Fact]
    public async Task A_blocked_item_is_listed_with_its_reason_and_unblocked_only_after_confirming()
    {
        var app = await CreateApplicationAsync("Unblocked");
        await EnterApplicationAsync(app);
        var item = await AwaitingAsync(app, "Logo");
        await Services.GetRequiredService<MediaReview>().BlockAsync(item.Id, "Shows a licensed logo");
        var page = RenderPage(app);

        page.WaitForElement("[data-testid='review-queue-empty']");
        await OpenTabAsync(page, "Blocked (1)");
        page.WaitForAssertion(() => Assert.Contains("Reason: Shows a licensed logo", ItemNamed(page, "Logo").QuerySelector("[data-testid='review-item-decision']")!.TextContent));
        Assert.Empty(ItemNamed(page, "Logo").QuerySelectorAll("[data-testid='review-approve']"));

        // Dismissing the confirmation changes nothing.
        await page.InvokeAsync(() => ItemNamed(page, "Logo").QuerySelector("[data-testid='review-unblock']")!.Click());
        Dialogs.WaitForElement("[data-testid='confirm-cancel']");
        await Dialogs.FindAndClickAsync("[data-testid='confirm-cancel']");
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='confirm-dialog']")));
        Assert.Equal(ReviewState.Blocked, (await StoredAsync(item.Id)).ReviewState);

        await page.InvokeAsync(() => ItemNamed(page, "Logo").QuerySelector("[data-testid='review-unblock']")!.Click());
        Assert.Contains("plays again at once", Dialogs.WaitForElement("[data-testid='confirm-message']").TextContent);
        await Dialogs.FindAndClickAsync("[data-testid='confirm-yes']");

        page.WaitForElement("[data-testid='review-blocked-empty']");
        var stored = await StoredAsync(item.Id);
        Assert.Equal((ReviewState.Approved, null), (stored.ReviewState, stored.ReviewReason));
        await OpenTabAsync(page, "Recently approved");
        page.WaitForAssertion(() => Assert.StartsWith("Approved by", ItemNamed(page, "Logo").QuerySelector("[data-testid='review-item-decision']")!.TextContent.Trim()));
    }

    [Fact]
    public async Task A_reviewer_who_decides_after_someone_else_is_told_who_and_the_first_decision_stays()
    {
        var app = await CreateApplicationAsync("Raced");
        await EnterApplicationAsync(app);
        var item = await AwaitingAsync(app, "Harbour");
        var page = RenderPage(app);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='review-item']")));

        // Another reviewer blocks it while this page still shows it awaiting review.
        await Services.GetRequiredService<MediaReview>().BlockAsync(item.Id, "Shows a licensed logo", item.Version);
        await page.InvokeAsync(() => ItemNamed(page, "Harbour").QuerySelector("[data-testid='review-approve']")!.Click());

        page.WaitForAssertion(() => Assert.Contains("\"Harbour\" was already blocked by", Snackbars()));
        page.WaitForElement("[data-testid='review-queue-empty']");
        Assert.Equal(ReviewState.Blocked, (await StoredAsync(item.Id)).ReviewState);
    }

    [Fact]
    public async Task A_stale_mode_save_is_refused_with_a_message_and_the_page_shows_what_is_stored()
    {
        var app = await CreateApplicationAsync("Mode raced");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);
        page.WaitForElement("[data-testid='review-mode-select']");

        // Someone else turns review on after this page was opened; this page then saves Off over it.
        await Services.GetRequiredService<MediaReview>().SetModeAsync(ReviewMode.Manual, 0);
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<ReviewMode>>().Instance.ValueChanged.InvokeAsync(ReviewMode.Manual));
        await page.InvokeAsync(() => page.Find("[data-testid='review-mode-save']").Click());

        page.WaitForAssertion(() => Assert.Contains("The review mode was changed by someone else after you opened this page (it is now Manual)", Snackbars()));
        Assert.Equal(ReviewMode.Manual, (await Services.GetRequiredService<MediaReview>().GetModeAsync()).Mode);
        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid='review-mode-save']").HasAttribute("disabled")));
    }
}
