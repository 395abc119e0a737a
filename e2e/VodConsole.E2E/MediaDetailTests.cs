using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;

namespace VodConsole.E2E;

public sealed class MediaDetailTests(ConsoleFixture fixture, OwnConsole ownConsole) : IDisposable, IClassFixture<OwnConsole>
{
    private const string PlayerSelector = "video[data-testid='media-detail-player']";

    private readonly ConsoleServer server = ownConsole.Server;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-detail-");

    public void Dispose() => work.Delete(recursive: true);

    /// <summary>A Normal media row over a real stored video, as processing leaves it, without waiting for processing.</summary>
    private async Task<MediaItem> AddVideoAsync(long applicationId, string title)
    {
        var video = await TestMedia.VideoAsync(work.FullName, $"{Guid.NewGuid():N}.mp4");
        var storage = server.Get<IMediaStorage>();
        await using var file = File.OpenRead(video);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = title, Status = MediaStatus.Normal, ContentType = "video/mp4",
            StorageKey = await storage.SaveAsync(applicationId, file), SizeBytes = file.Length, DurationSeconds = 2,
            Width = 320, Height = 240, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await server.Get<ApplicationData>().OpenForAsync(applicationId);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    /// <summary>Starts the player muted (browsers allow that without a gesture) and waits until it has frames and moves on.</summary>
    private static async Task PlayAsync(ConsolePage tab)
    {
        await tab.Page.Locator(PlayerSelector).EvaluateAsync("video => { video.muted = true; return video.play(); }");
        await tab.Page.WaitForFunctionAsync(
            $"() => {{ const video = document.querySelector(\"{PlayerSelector}\"); return video.readyState >= 2 && video.currentTime > 0; }}");
    }

    [Fact]
    public async Task An_uploaded_video_plays_on_its_detail_page_is_edited_and_categorised_and_deleted_after_confirmation()
    {
        var app = await server.CreateSubApplicationAsync("Detail");
        var name = $"detail {Guid.NewGuid().ToString("N")[..6]}";
        var video = await TestMedia.VideoAsync(work.FullName, name + ".mp4");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await tab.SignInAsync();
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(video);
        await Expect(tab.Page.GetByTestId("upload-row").GetByTestId("upload-status")).ToHaveTextAsync("Normal", new() { Timeout = 30_000 });

        // A category, added from the library's toolbar.
        await tab.GotoAsync($"/apps/{app.Id}/media");
        await tab.Page.GetByTestId("categories-open").ClickAsync();
        await tab.Page.GetByTestId("category-name-input").FillAsync("Trailers");
        await tab.Page.GetByTestId("category-name-input").PressAsync("Enter");
        await Expect(tab.Page.GetByTestId("category-row")).ToHaveTextAsync([new Regex("^Trailers")]);
        await tab.ScreenshotAsync("app-media-categories");
        await tab.Page.GetByTestId("categories-close").ClickAsync();

        // The detail page, from the title in the library.
        await tab.Page.GetByTestId("media-title").Filter(new() { HasText = name }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/apps/{app.Id}/media/[0-9]+$"));
        await Expect(tab.Page.GetByTestId("media-detail-title")).ToHaveTextAsync(name);
        await Expect(tab.Page).ToHaveTitleAsync(new Regex($"^{name} · "));
        await Expect(tab.Page.Locator(PlayerSelector)).ToHaveAttributeAsync("src", new Regex($"/play/{app.Id}/[0-9]+$"));
        await PlayAsync(tab);
        await tab.ScreenshotAsync("app-media-detail");

        // Edit title, tags and category.
        var title = name + " (final)";
        await tab.Page.GetByTestId("media-edit").ClickAsync();
        await tab.Page.GetByTestId("media-title-input").FillAsync(title);
        await tab.Page.GetByTestId("media-tags-input").FillAsync(" Launch, TEASER, launch ");
        await tab.Page.GetByTestId("media-category-select").ClickAsync();
        await tab.Page.Locator(".mud-popover-open").GetByText("Trailers", new() { Exact = true }).ClickAsync();
        await tab.ScreenshotAsync("app-media-edit");
        await tab.Page.GetByTestId("media-save").ClickAsync();
        await Expect(tab.Page.GetByTestId("media-detail-title")).ToHaveTextAsync(title);
        await Expect(tab.Page.GetByTestId("media-tag")).ToHaveTextAsync(["launch", "teaser"]);
        await Expect(tab.Page.GetByTestId("media-detail-category")).ToHaveTextAsync("Trailers");

        // The library shows the edit.
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Media", Exact = true }).First.ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{app.Id}/media"));
        await Expect(tab.Page.GetByTestId("media-title")).ToHaveTextAsync([title]);
        await Expect(tab.Page.GetByTestId("media-category")).ToHaveTextAsync(["Trailers"]);

        // Delete, after confirming.
        await tab.Page.GetByTestId("media-title").ClickAsync();
        await tab.Page.GetByTestId("media-delete").ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("cannot be undone");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(server.Url($"/apps/{app.Id}/media"));
        await Expect(tab.Page.GetByTestId("media-empty")).ToBeVisibleAsync();
        await using var db = await server.Get<ApplicationData>().OpenForAsync(app.Id);
        Assert.False(await db.Media.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task With_url_signing_on_the_detail_page_still_plays_through_a_signed_link()
    {
        var app = await server.CreateSubApplicationAsync("SignedDetail");
        var item = await AddVideoAsync(app.Id, "Signed clip");
        await server.Get<PlaybackSettingsService>().SaveForAsync(app.Id, signingEnabled: true, "DetailKey123", TestContext.Current.CancellationToken);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media/{item.Id}");
        await tab.SignInAsync();

        await Expect(tab.Page.Locator(PlayerSelector)).ToHaveAttributeAsync("src", new Regex($"/play/{app.Id}/{item.Id}\\?t=[0-9a-f]+&sign=[0-9a-f]{{64}}$"));
        await PlayAsync(tab);
        var unsigned = await tab.Page.APIRequest.GetAsync(server.Url(PlaybackSettingsService.PlayPath(app.Id, item.Id)));
        Assert.Equal(403, unsigned.Status);
    }

    [Fact]
    public async Task On_a_disabled_application_the_detail_page_says_why_it_cannot_play_instead_of_a_silent_player()
    {
        var app = await server.CreateSubApplicationAsync("DisabledDetail");
        var item = await AddVideoAsync(app.Id, "Stopped clip");
        await server.Get<VodConsole.Core.Applications.ApplicationService>()
            .SetStatusAsync(app.Id, VodConsole.Core.Applications.ApplicationStatus.Disabled, app.Version, TestContext.Current.CancellationToken);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media/{item.Id}");
        await tab.SignInAsync();

        await Expect(tab.Page.GetByTestId("media-playback-refused")).ToContainTextAsync("This application is disabled");
        await Expect(tab.Page.Locator(PlayerSelector)).ToHaveCountAsync(0);
        // The page's details and edits stay: only playback is refused.
        await Expect(tab.Page.GetByTestId("media-edit")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_uploaded_png_replaces_the_cover()
    {
        var app = await server.CreateSubApplicationAsync("CoverDetail");
        var item = await AddVideoAsync(app.Id, "Cover clip");
        var png = await TestMedia.ImageAsync(work.FullName);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{app.Id}/media/{item.Id}");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByTestId("media-detail-title")).ToHaveTextAsync("Cover clip");

        await tab.ChooseFileAsync(tab.Page.Locator("input[type='file']"), png);

        await Expect(tab.Page.GetByText("Cover replaced.")).ToBeVisibleAsync();
        var cover = tab.Page.GetByTestId("media-detail-cover");
        await Expect(cover).ToHaveJSPropertyAsync("naturalWidth", 320);
        await using var db = await server.Get<ApplicationData>().OpenForAsync(app.Id);
        Assert.NotNull((await db.Media.SingleAsync(m => m.Id == item.Id, TestContext.Current.CancellationToken)).CoverKey);
    }

    [Fact]
    public async Task Another_applications_media_id_under_this_application_shows_not_found()
    {
        var mine = await server.CreateSubApplicationAsync("DetailMine");
        var other = await server.CreateSubApplicationAsync("DetailOther");
        var foreign = await AddVideoAsync(other.Id, "Not yours " + Guid.NewGuid().ToString("N")[..6]);
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync($"/apps/{other.Id}/media/{foreign.Id}");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByTestId("media-detail-title")).ToHaveTextAsync(foreign.Title); // it exists, under its own application

        await tab.GotoAsync($"/apps/{mine.Id}/media/{foreign.Id}");

        await Expect(tab.Page.GetByText("Not found", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText(foreign.Title)).ToHaveCountAsync(0);
        await Expect(tab.Page.Locator(PlayerSelector)).ToHaveCountAsync(0);
    }
}
