using VodConsole.Core.Budgets;

namespace VodConsole.E2E;

/// <summary>A storage cap set on the budgets page, exceeded by real uploads: banners, and uploads stopped. A console of its own: it stops an application.</summary>
public sealed class BudgetTests(ConsoleFixture fixture, OwnConsole own) : IClassFixture<OwnConsole>, IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-budget-");

    public void Dispose() => work.Delete(recursive: true);

    /// <summary>A file the upload recognises as MP4 (its first bytes), of the given size: storage counts it at upload.</summary>
    private string Mp4File(string name, int bytes)
    {
        var path = Path.Combine(work.FullName, name);
        var content = new byte[bytes];
        byte[] header = [0, 0, 0, 0x20, .. "ftypisom"u8];
        header.CopyTo(content, 0);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task A_storage_cap_exceeded_by_an_upload_shows_banners_and_stops_the_next_upload()
    {
        var server = own.Server;
        var app = await server.CreateSubApplicationAsync("Budget");
        await using var tab = await fixture.NewPageAsync(server);
        await tab.GotoAsync("/admin/budgets");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Budgets & quotas" })).ToBeVisibleAsync();
        await tab.WaitForInteractiveAsync();

        await tab.Page.Locator($"[data-testid='budget-edit'][data-app-id='{app.Id}']").ClickAsync();
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Storage cap (GB)").FillAsync("0.001");
        await dialog.GetByLabel("At 100 %, stop accepting uploads and transcoding (playback continues)").CheckAsync();
        await dialog.GetByTestId("budget-save").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        var row = tab.Page.GetByTestId("budgets-table").Locator("tbody tr").Filter(new() { HasText = app.Name });
        await Expect(row.GetByTestId("budget-meter")).ToContainTextAsync("of 1 MB");
        await tab.ScreenshotAsync("admin-budgets");

        // 1.5 MB through the upload page: over the 1 MB cap.
        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(Mp4File("big.mp4", 1_500_000));
        await Expect(tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "big.mp4" }).GetByTestId("upload-progress")).ToHaveTextAsync("Done");

        await tab.GotoAsync($"/apps/{app.Id}/overview");
        var banner = tab.Page.GetByTestId("budget-banner");
        await Expect(banner).ToHaveAttributeAsync("data-level", "100");
        await Expect(banner).ToContainTextAsync("Uploads and transcoding are stopped");
        await tab.ScreenshotAsync("budget-banner");

        await tab.GotoAsync($"/apps/{app.Id}/upload");
        await Expect(tab.Page.Locator("[data-testid='upload-drop-zone'][data-ready='true']")).ToBeAttachedAsync();
        await tab.Page.GetByTestId("upload-input").SetInputFilesAsync(Mp4File("more.mp4", 10_000));
        await Expect(tab.Page.GetByTestId("upload-row").Filter(new() { HasText = "more.mp4" })).ToContainTextAsync("storage cap");

        // Administrators see it too, once the background monitor announced it.
        await WaitForNoticeAsync(app.Id);
        await tab.GotoAsync("/admin/overview");
        await Expect(tab.Page.Locator($"[data-testid='budget-banner'][data-app-id='{app.Id}']")).ToContainTextAsync(app.Name);
    }

    private async Task WaitForNoticeAsync(long applicationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await own.Server.Get<BudgetService>().AlertsAsync(null)).All(s => s.ApplicationId != applicationId))
        {
            Assert.True(DateTime.UtcNow < deadline, "The budget monitor did not announce the threshold within 30 s.");
            await Task.Delay(200);
        }
    }
}
