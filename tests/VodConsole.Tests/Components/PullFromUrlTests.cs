using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

/// <summary>The "Pull from URL" panel over the real services; the pull worker is played by the test writing job states.</summary>
public sealed class PullFromUrlTests : MudTestContext, IAsyncLifetime
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo directory;
    private readonly TestDatabase database;
    private long appId;

    public PullFromUrlTests() : this(Directory.CreateTempSubdirectory("vodconsole-pull-page-"))
    {
    }

    private PullFromUrlTests(DirectoryInfo directory) : this(directory, TestDatabase.For(directory.FullName))
    {
    }

    private PullFromUrlTests(DirectoryInfo directory, TestDatabase database) : base(services =>
    {
        services.AddLogging();
        services.AddVodConsoleCore(database.Options);
    })
    {
        this.directory = directory;
        this.database = database;
    }

    public async ValueTask InitializeAsync()
    {
        await database.CreateAsync();
        Services.GetRequiredService<RoleContext>().EnterSystem(); // set up as start-up does; the page acts for the user below
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var primary = (await Services.GetRequiredService<ApplicationService>().ListAsync()).Single(a => a.IsPrimary);
        appId = primary.Id;
        var role = ConsoleRole.For(primary);
        // Queueing pulls is a change, checked against the database: the user must exist and may change the application.
        var user = new ConsoleUser { UserName = "user@vod.test", Email = "user@vod.test", IsAdministrator = true };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(user, TestConsole.OwnerPassword);
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog(user.Id, "user@vod.test", false, null, false, BillingMode.Daily, ServiceStatus.Active, [role]), role);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DropAsync();
        directory.Delete(recursive: true);
    }

    private IRenderedComponent<PullFromUrl> RenderPanel() => Render<PullFromUrl>(p => p.Add(c => c.MaxBytes, 2_000_000_000));

    private static async Task SubmitAsync(IRenderedComponent<PullFromUrl> panel, string text)
    {
        // Each find and its event in one dispatch: the panel re-renders as its list loads, and a handler found before a
        // render may be gone after it.
        await panel.InvokeAsync(() => panel.Find("[data-testid='pull-urls']").InputAsync(new() { Value = text }));
        await panel.InvokeAsync(() => panel.Find("[data-testid='pull-submit']").ClickAsync(new()));
    }

    /// <summary>Does what the worker does to a job, straight in the database.</summary>
    private async Task UpdateJobAsync(Action<MediaPull> change)
    {
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(appId);
        var job = await db.MediaPulls.OrderByDescending(p => p.Id).FirstAsync();
        change(job);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Submitted_urls_are_listed_newest_first_as_queued_and_the_field_is_cleared()
    {
        var panel = RenderPanel();

        await SubmitAsync(panel, "https://example.com/one.mp4\nhttps://example.com/two.mp4");

        var rows = panel.FindAll("[data-testid='pull-row']");
        Assert.Equal(["https://example.com/two.mp4", "https://example.com/one.mp4"], rows.Select(r => r.QuerySelector("[data-testid='pull-url']")!.TextContent));
        Assert.All(panel.FindAll("[data-testid='pull-state']"), state => Assert.Equal("Queued", state.TextContent.Trim()));
        Assert.Equal("", panel.Find("[data-testid='pull-urls']").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task A_bad_list_shows_each_problem_and_queues_nothing()
    {
        var panel = RenderPanel();

        await SubmitAsync(panel, "ftp://example.com/a.mp4\nnot a url");

        Assert.Contains("Line 1 (ftp://example.com/a.mp4): only http and https URLs can be pulled.", panel.Markup);
        Assert.Contains("Line 2 (not a url): this is not a valid URL", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid='pull-row']"));
    }

    [Fact]
    public async Task An_active_job_is_followed_through_downloading_to_its_media()
    {
        var panel = RenderPanel();
        await SubmitAsync(panel, "https://example.com/videos/Trailer.mp4");

        await UpdateJobAsync(job =>
        {
            job.State = MediaPullState.Downloading;
            job.BytesReceived = 1_000_000;
            job.TotalBytes = 4_000_000;
        });
        panel.WaitForAssertion(() =>
        {
            Assert.Equal("Downloading", panel.Find("[data-testid='pull-state']").TextContent.Trim());
            Assert.Equal("1 MB of 4 MB", panel.Find("[data-testid='pull-progress']").TextContent.Trim());
        }, PollWait);

        await UpdateJobAsync(job =>
        {
            job.State = MediaPullState.Done;
            job.BytesReceived = 4_000_000;
            job.Media = new MediaItem
            {
                ApplicationId = appId, Title = "Trailer", Status = MediaStatus.Processing, StorageKey = $"{appId}/{Guid.NewGuid():N}",
                CreatedAt = DateTime.UtcNow,
            };
        });
        panel.WaitForAssertion(() =>
        {
            Assert.Equal("Done", panel.Find("[data-testid='pull-state']").TextContent.Trim());
            var link = panel.Find("[data-testid='pull-media']");
            Assert.Equal("Trailer", link.TextContent.Trim());
            Assert.Equal($"/apps/{appId}/media", link.GetAttribute("href"));
        }, PollWait);
    }

    [Fact]
    public async Task A_failed_job_shows_its_reason()
    {
        var panel = RenderPanel();
        await SubmitAsync(panel, "https://example.com/missing.mp4");

        await UpdateJobAsync(job =>
        {
            job.State = MediaPullState.Failed;
            job.FailureReason = "HTTP 404 Not Found";
        });

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("Failed", panel.Find("[data-testid='pull-state']").TextContent.Trim());
            Assert.Equal("HTTP 404 Not Found", panel.Find("[data-testid='pull-reason']").TextContent.Trim());
        }, PollWait);
    }
}
