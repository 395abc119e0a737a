using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Transcoding;
using VodConsole.Web.Transcoding;

namespace VodConsole.Tests.Components;

/// <summary>The Transcoding page as its users drive it: templates created, refused, edited, copied and deleted; read-only users only look.</summary>
public sealed class TranscodingPageTests : ConsoleComponentContext
{
    private async Task<long> CreateApplicationAsync(string name) =>
        (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync(name, null)).Id;

    private IRenderedComponent<TranscodingPage> RenderPage(long appId) => Render<TranscodingPage>(p => p.Add(d => d.AppId, appId));

    private async Task<List<TranscodeTemplate>> StoredAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        return await db.TranscodeTemplates.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    /// <summary>MudBlazor puts a test hook on the input itself or on its wrapper, depending on the component.</summary>
    private static IElement InputOf(IElement element) => element.TagName == "INPUT" ? element : element.QuerySelector("input")!;

    private async Task ClickDialogButtonAsync(string text)
    {
        Dialogs.WaitForAssertion(() => Assert.Single(Dialogs.FindAll("button"), b => b.TextContent.Trim() == text));
        await Dialogs.FindButtonAndClickAsync(text);
    }

    /// <summary>The Save button submits the dialog's form (bUnit does not follow a button's form attribute itself).</summary>
    private Task SaveAsync() => Dialogs.FindAndSubmitAsync("#template-form");

    /// <summary>Changes a field (height, video, …) of the rendition in the given row of the dialog.</summary>
    private Task ChangeRenditionAsync(int row, string field, string value) =>
        Dialogs.InvokeAsync(() => InputOf(Dialogs.FindAll("[data-testid='rendition-row']")[row].QuerySelector($"[data-testid='rendition-{field}']")!).Change(value));

    [Fact]
    public async Task An_operator_creates_edits_and_deletes_a_template_and_bad_values_are_refused_with_nothing_stored()
    {
        var app = await CreateApplicationAsync("Transcoder");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);
        page.WaitForElement("[data-testid='template-empty']");
        Assert.Equal(TranscodePresets.All.Count, page.FindAll("[data-testid='preset-name']").Count);

        await page.FindAndClickAsync("[data-testid='template-new']");
        Dialogs.WaitForElement("[data-testid='template-name-input']");
        await Dialogs.FindInputAndInputAsync("[data-testid='template-name-input']", "Web ladder");
        await Dialogs.FindAndClickAsync("[data-testid='rendition-add']");
        var rows = Dialogs.FindAll("[data-testid='rendition-row']");
        Assert.Equal(2, rows.Count);
        await ChangeRenditionAsync(1, "height", "100000");
        await SaveAsync();
        Dialogs.WaitForAssertion(() => Assert.Equal(
            "Rendition 2: the height must be between 144 and 2,160 pixels; 100,000 was given.",
            Dialogs.Find("[data-testid='dialog-error']").TextContent.Trim()));
        Assert.Empty(await StoredAsync());

        await ChangeRenditionAsync(1, "height", "360");
        await ChangeRenditionAsync(1, "video", "0");
        await SaveAsync();
        Dialogs.WaitForAssertion(() => Assert.Contains("the video bitrate must be between 64 and 50,000 kbit/s; 0 was given",
            Dialogs.Find("[data-testid='dialog-error']").TextContent));
        Assert.Empty(await StoredAsync());

        await ChangeRenditionAsync(1, "video", "800");
        await SaveAsync();
        page.WaitForAssertion(() => Assert.Equal("Web ladder", page.Find("[data-testid='template-name']").TextContent.Trim()));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal((app, TranscodeFormat.Hls), (stored.ApplicationId, stored.Format));
        Assert.Equal([360, 720], stored.Renditions.Select(r => r.Height));
        Assert.Equal(["360p · 800 kbit/s · ≤ 30 fps · audio 128 kbit/s", "720p · 2,800 kbit/s · ≤ 30 fps · audio 128 kbit/s"],
            page.FindAll("[data-testid='template-table'] [data-testid='template-rendition']").Select(e => e.TextContent.Trim()));

        await page.FindAndClickAsync("[data-testid='template-edit']");
        var name = InputOf(Dialogs.WaitForElement("[data-testid='template-name-input']"));
        Assert.Equal("Web ladder", name.GetAttribute("value"));
        await Dialogs.FindInputAndInputAsync("[data-testid='template-name-input']", "Web\u0007ladder");
        Dialogs.WaitForAssertion(() => Assert.Contains("invisible control character (U+0007)", Dialogs.Markup));
        await SaveAsync();
        Dialogs.WaitForAssertion(() => Assert.Contains("invisible control character", Dialogs.Find("[data-testid='dialog-error']").TextContent));
        await Dialogs.FindInputAndInputAsync("[data-testid='template-name-input']", "Mobile ladder");
        await SaveAsync();
        page.WaitForAssertion(() => Assert.Equal("Mobile ladder", page.Find("[data-testid='template-name']").TextContent.Trim()));

        await page.FindAndClickAsync("[data-testid='template-delete']");
        await ClickDialogButtonAsync("Delete");
        page.WaitForElement("[data-testid='template-empty']");
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Copying_a_preset_adds_a_template_of_the_application()
    {
        var app = await CreateApplicationAsync("Copier");
        await EnterApplicationAsync(app);
        var page = RenderPage(app);

        // The audio-only preset has nothing to adjust, so it offers no copy.
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='preset-copy']").Count));
        await page.InvokeAsync(() => page.FindAll("[data-testid='preset-copy']")[0].Click());

        page.WaitForAssertion(() => Assert.Equal("HLS adaptive ladder (copy)", page.Find("[data-testid='template-name']").TextContent.Trim()));
        Assert.Equal(app, Assert.Single(await StoredAsync()).ApplicationId);
    }

    [Fact]
    public async Task A_read_only_user_sees_presets_templates_and_the_default_without_any_control()
    {
        var app = await CreateApplicationAsync("Watched");
        await EnterApplicationAsync(app);
        var templates = Services.GetRequiredService<TranscodeTemplates>();
        var own = await templates.CreateAsync(new TranscodeTemplateEdit("House style", TranscodeFormat.Mp4, [new(480, 1200, 25, 96)]));
        await templates.SetDefaultAsync(own.Id);

        var viewer = new ConsoleUser { UserName = "viewer@vod.test", Email = "viewer@vod.test" };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(viewer, TestConsole.OwnerPassword);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContextAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = viewer.Id, ApplicationId = app, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var catalog = (await Services.GetRequiredService<RoleResolver>().LoadCatalogAsync(viewer.Id))!;
        Services.GetRequiredService<RoleContext>().Enter(catalog, catalog.Resolve(new RoleRoute(RoleRouteKind.Application, app)));

        var page = RenderPage(app);

        page.WaitForAssertion(() => Assert.Equal("House style", page.Find("[data-testid='template-name']").TextContent.Trim()));
        Assert.Equal("House style", page.Find("[data-testid='default-template-name']").TextContent.Trim());
        Assert.Equal(TranscodePresets.All.Count, page.FindAll("[data-testid='preset-name']").Count);
        foreach (var control in new[] { "template-new", "template-edit", "template-delete", "preset-copy", "default-template", "default-save" })
        {
            Assert.Empty(page.FindAll($"[data-testid='{control}']"));
        }
    }
}
