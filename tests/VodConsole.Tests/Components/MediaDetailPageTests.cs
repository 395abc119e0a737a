using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

public sealed class MediaDetailPageTests : ConsoleComponentContext
{
    private async Task<long> CreateApplicationAsync(string name) =>
        (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync(name, null)).Id;

    private async Task<MediaItem> AddMediaAsync(long applicationId, long? categoryId = null, string tags = "")
    {
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(applicationId);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = "Launch trailer", Description = "Two minutes.", Status = MediaStatus.Normal,
            ContentType = "video/mp4", OriginalFileName = "launch.mp4", SizeBytes = 12_400_000, DurationSeconds = 125,
            Width = 1280, Height = 720, CategoryId = categoryId, Tags = tags, StorageKey = $"{applicationId}/{Guid.NewGuid():N}",
            CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    private async Task<long> AddCategoryAsync(long applicationId, string name)
    {
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(applicationId);
        var category = new MediaCategory { ApplicationId = applicationId, Name = name };
        db.MediaCategories.Add(category);
        await db.SaveChangesAsync();
        return category.Id;
    }

    private IRenderedComponent<MediaDetailPage> RenderPage(long appId, long mediaId) =>
        Render<MediaDetailPage>(p => p.Add(d => d.AppId, appId).Add(d => d.MediaId, mediaId));

    [Fact]
    public async Task Another_applications_media_and_a_missing_id_show_the_same_not_found()
    {
        var mine = await CreateApplicationAsync("Mine");
        var other = await CreateApplicationAsync("Other");
        var foreign = await AddMediaAsync(other);
        await EnterApplicationAsync(mine);

        foreach (var mediaId in new[] { foreign.Id, foreign.Id + 1000 })
        {
            var page = RenderPage(mine, mediaId);

            page.WaitForAssertion(() => Assert.Contains("Not found", page.Find("[data-testid='not-found']").TextContent));
            Assert.Empty(page.FindAll("[data-testid='media-detail-title']"));
            Assert.DoesNotContain("Launch trailer", page.Markup);
        }
    }

    [Fact]
    public async Task The_page_plays_from_the_playback_domain_and_shows_the_details()
    {
        var app = await CreateApplicationAsync("Customer A");
        var category = await AddCategoryAsync(app, "Trailers");
        var item = await AddMediaAsync(app, category, "launch,teaser");
        await EnterApplicationAsync(app);

        var page = RenderPage(app, item.Id);

        page.WaitForAssertion(() => Assert.Equal("Launch trailer", page.Find("[data-testid='media-detail-title']").TextContent));
        var player = page.Find("[data-testid='media-detail-player']");
        Assert.Equal("VIDEO", player.TagName);
        Assert.Equal($"http://localhost/play/{app}/{item.Id}", player.GetAttribute("src"));
        Assert.Equal($"http://localhost/play/{app}/{item.Id}", page.Find("[data-testid='media-detail-playback-url']").TextContent);
        Assert.Equal("Trailers", page.Find("[data-testid='media-detail-category']").TextContent);
        Assert.Equal(["launch", "teaser"], page.FindAll("[data-testid='media-tag']").Select(t => t.TextContent.Trim()));
        Assert.Contains("0:02:05", page.Markup);
        Assert.Contains("1280×720", page.Markup);
        Assert.Contains("launch.mp4", page.Markup);
    }

    [Fact]
    public async Task With_signing_on_the_player_gets_a_freshly_signed_link()
    {
        var app = await CreateApplicationAsync("Signed");
        var item = await AddMediaAsync(app);
        await Services.GetRequiredService<PlaybackSettingsService>().SaveForAsync(app, true, "Secret1234");
        await EnterApplicationAsync(app);

        var page = RenderPage(app, item.Id);

        page.WaitForAssertion(() => page.Find("[data-testid='media-detail-player']"));
        var src = new Uri(page.Find("[data-testid='media-detail-player']").GetAttribute("src")!);
        var query = System.Web.HttpUtility.ParseQueryString(src.Query);
        Assert.Equal(SignatureCheck.Valid,
            UrlSigning.Verify("Secret1234", src.AbsolutePath, query["t"], query["sign"], DateTimeOffset.UtcNow.AddMinutes(59)));
        Assert.Equal(SignatureCheck.Expired,
            UrlSigning.Verify("Secret1234", src.AbsolutePath, query["t"], query["sign"], DateTimeOffset.UtcNow.AddMinutes(61)));
    }

    [Fact]
    public async Task Saving_an_empty_title_shows_the_message_next_to_it_and_writes_nothing()
    {
        var app = await CreateApplicationAsync("Editing");
        var item = await AddMediaAsync(app);
        await EnterApplicationAsync(app);
        var page = RenderPage(app, item.Id);
        page.WaitForAssertion(() => page.Find("[data-testid='media-edit']"));

        await page.FindAndClickAsync("[data-testid='media-edit']");
        Dialogs.WaitForAssertion(() => Dialogs.Find("input[data-testid='media-title-input']"));
        await Dialogs.FindAndInputAsync("input[data-testid='media-title-input']", "   ");
        await Dialogs.FindAndSubmitAsync("form#media-edit-form");

        Dialogs.WaitForAssertion(() => Assert.Contains("Enter a title.", Dialogs.Markup));
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(app);
        Assert.Equal("Launch trailer", (await db.Media.SingleAsync(m => m.Id == item.Id)).Title);
    }

    [Fact]
    public async Task Saved_details_show_on_the_page_with_the_tags_normalised()
    {
        var app = await CreateApplicationAsync("Saving");
        var item = await AddMediaAsync(app);
        await EnterApplicationAsync(app);
        var page = RenderPage(app, item.Id);
        page.WaitForAssertion(() => page.Find("[data-testid='media-edit']"));

        await page.FindAndClickAsync("[data-testid='media-edit']");
        Dialogs.WaitForAssertion(() => Dialogs.Find("input[data-testid='media-title-input']"));
        await Dialogs.FindAndInputAsync("input[data-testid='media-title-input']", "Final cut");
        await Dialogs.FindAndInputAsync("input[data-testid='media-tags-input']", " Launch, TEASER , launch");
        await Dialogs.FindAndSubmitAsync("form#media-edit-form");

        page.WaitForAssertion(() => Assert.Equal("Final cut", page.Find("[data-testid='media-detail-title']").TextContent));
        Assert.Equal(["launch", "teaser"], page.FindAll("[data-testid='media-tag']").Select(t => t.TextContent.Trim()));
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='media-edit-dialog']")));
    }
}
