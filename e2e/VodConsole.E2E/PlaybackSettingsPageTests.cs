using System.Net;
using System.Text.RegularExpressions;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;

namespace VodConsole.E2E;

public sealed class PlaybackSettingsPageTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    [Fact]
    public async Task Owner_turns_on_signing_with_a_generated_key_and_generates_a_signed_link_that_plays()
    {
        var app = await server.CreateSubApplicationAsync("Settings");
        var media = await AddMediaAsync(app.Id);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/settings");
        await tab.SignInAsync();
        var page = tab.Page;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Playback domain & security" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("playback-base-url")).ToHaveTextAsync($"{server.BaseUrl}/play/{app.Id}/");
        await Expect(page.GetByTestId("nav-settings")).ToBeVisibleAsync();

        await page.GetByText("Sign playback URLs with a key").ClickAsync();
        await page.GetByTestId("generate-key").ClickAsync();
        await Expect(page.GetByTestId("signing-key")).ToHaveValueAsync(new Regex("^[A-Za-z0-9]{20}$"));
        await page.GetByTestId("save-settings").ClickAsync();
        await Expect(page.GetByText("Saved: playback URLs must now be signed.")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("app-playback-settings");

        await page.GetByTestId("link-media-id").FillAsync(media.Id.ToString());
        await page.GetByTestId("generate-link").ClickAsync();
        var link = page.GetByTestId("signed-link");
        await Expect(link).ToContainTextAsync("t=");
        await Expect(link).ToContainTextAsync("sign=");
        await Expect(link).ToContainTextAsync($"{server.BaseUrl}/play/{app.Id}/{media.Id}?");

        var saved = await server.Get<PlaybackSettingsService>().GetForAsync(app.Id, TestContext.Current.CancellationToken);
        Assert.True(saved.SigningEnabled);
        using var http = new HttpClient();
        using var signed = await http.GetAsync((await link.TextContentAsync())!.Trim(), TestContext.Current.CancellationToken);
        using var unsigned = await http.GetAsync(server.Url($"/play/{app.Id}/{media.Id}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
    }

    [Fact]
    public async Task An_invalid_key_is_refused_with_a_message()
    {
        var app = await server.CreateSubApplicationAsync("BadKey");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync($"/apps/{app.Id}/settings");
        await tab.SignInAsync();
        var page = tab.Page;

        await page.GetByText("Sign playback URLs with a key").ClickAsync();
        await page.GetByTestId("signing-key").FillAsync("short");
        await page.GetByTestId("save-settings").ClickAsync();

        await Expect(page.GetByText("The signing key must be 8–20 characters long.")).ToBeVisibleAsync();
        Assert.False((await server.Get<PlaybackSettingsService>().GetForAsync(app.Id, TestContext.Current.CancellationToken)).SigningEnabled);
    }

    private async Task<MediaItem> AddMediaAsync(long appId)
    {
        var key = await server.Get<IMediaStorage>().SaveAsync(appId, new MemoryStream(new byte[256]), TestContext.Current.CancellationToken);
        var media = new MediaItem
        {
            ApplicationId = appId, Title = "Clip", OriginalFileName = "clip.mp4", ContentType = "video/mp4",
            SizeBytes = 256, StorageKey = key, Status = MediaStatus.Normal, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId, TestContext.Current.CancellationToken);
        db.Media.Add(media);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return media;
    }
}
