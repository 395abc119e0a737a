using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

/// <summary>The upload page as the browser module drives it: it reports each file's start, progress and end.</summary>
public sealed class UploadPageTests : MudTestContext, IAsyncLifetime
{
    private const long AppId = 1500000042;
    private readonly DirectoryInfo directory;
    private readonly TestDatabase database;
    private readonly BunitJSModuleInterop module;

    public UploadPageTests() : this(Directory.CreateTempSubdirectory("vodconsole-upload-page-"))
    {
    }

    private UploadPageTests(DirectoryInfo directory) : this(directory, TestDatabase.For(directory.FullName))
    {
    }

    private UploadPageTests(DirectoryInfo directory, TestDatabase database) : base(services =>
    {
        services.AddLogging();
        services.AddVodConsoleCore(database.Options);
        services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(directory.FullName, "media")));
        services.Configure<MediaOptions>(o => o.MaxUploadBytes = 1_000_000);
        services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgery>();
    })
    {
        this.directory = directory;
        this.database = database;
        module = JSInterop.SetupModule("./Media/UploadPage.razor.js");
    }

    public async ValueTask InitializeAsync()
    {
        await database.CreateAsync();
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var role = new ConsoleRole(AppId, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false);
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog("user", "user@vod.test", false, null, true, BillingMode.Daily, ServiceStatus.Active, [role]), role);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DropAsync();
        directory.Delete(recursive: true);
    }

    private IRenderedComponent<UploadPage> RenderPage()
    {
        var page = Render<UploadPage>(p => p.Add(u => u.AppId, AppId));
        module.VerifyInvoke("init");
        return page;
    }

    [Fact]
    public void The_module_gets_this_applications_endpoint_and_the_antiforgery_token()
    {
        RenderPage();

        var init = module.VerifyInvoke("init");
        Assert.Equal($"apps/{AppId}/media/upload", init.Arguments[3]);
        Assert.Equal("the-token", init.Arguments[4]);
    }

    [Fact]
    public async Task A_file_shows_progress_and_speed_then_its_media_status()
    {
        var page = RenderPage();

        Assert.True(await page.InvokeAsync(() => page.Instance.UploadStarted("upload-1", "Trailer.mp4", 400_000)));
        await page.InvokeAsync(() => page.Instance.UploadProgress("upload-1", 100_000, 2_500_000));

        Assert.Equal("25%", page.Find("[data-testid='upload-progress']").TextContent);
        Assert.Equal("2.5 MB/s", page.Find("[data-testid='upload-speed']").TextContent);
        page.Find("[data-testid='upload-cancel']");

        await page.InvokeAsync(() => page.Instance.UploadFinished("upload-1", 201, """{"id":7,"title":"Trailer","status":"Processing"}"""));

        Assert.Equal("Done", page.Find("[data-testid='upload-progress']").TextContent);
        Assert.Contains("Processing", page.Find("[data-testid='upload-status']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='upload-cancel']"));
    }

    [Fact]
    public async Task A_refused_file_shows_the_servers_message()
    {
        var page = RenderPage();

        await page.InvokeAsync(() => page.Instance.UploadStarted("upload-1", "notes.mp4", 40));
        await page.InvokeAsync(() => page.Instance.UploadFinished("upload-1", 415, MediaContent.RefusedMessage));

        Assert.Equal(MediaContent.RefusedMessage, page.Find("[data-testid='upload-status']").TextContent.Trim());
    }

    [Fact]
    public async Task A_file_over_the_limit_is_not_sent()
    {
        var page = RenderPage();

        Assert.False(await page.InvokeAsync(() => page.Instance.UploadStarted("upload-1", "huge.mp4", 1_000_001)));

        Assert.Contains("larger than the upload limit of", page.Find("[data-testid='upload-status']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='upload-cancel']"));
    }

    [Fact]
    public async Task Cancel_aborts_that_upload_in_the_browser()
    {
        var page = RenderPage();
        await page.InvokeAsync(() => page.Instance.UploadStarted("upload-1", "Trailer.mp4", 400_000));

        await page.InvokeAsync(() => page.Find("[data-testid='upload-cancel']").ClickAsync(new()));
        await page.InvokeAsync(() => page.Instance.UploadCancelled("upload-1"));

        Assert.Equal("upload-1", module.VerifyInvoke("cancel").Arguments[0]);
        Assert.Equal("Cancelled", page.Find("[data-testid='upload-status']").TextContent.Trim());
    }

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("the-token", "__RequestVerificationToken");
    }
}
