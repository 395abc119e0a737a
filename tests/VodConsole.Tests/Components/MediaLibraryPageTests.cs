using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

/// <summary>The library's table is plain markup in MudTable's classes (decision 0025): its selection is the page's own.</summary>
public sealed class MediaLibraryPageTests : ConsoleComponentContext
{
    private async Task<long> ApplicationWithMediaAsync(params string[] titles)
    {
        var applicationId = (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Library", null)).Id;
        await using var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(applicationId);
        var createdAt = DateTime.UtcNow;
        foreach (var title in titles)
        {
            createdAt = createdAt.AddMinutes(-1); // newest first: the order given
            db.Media.Add(new MediaItem
            {
                ApplicationId = applicationId, Title = title, Description = "", Status = MediaStatus.Normal, ContentType = "video/mp4",
                OriginalFileName = "clip.mp4", SizeBytes = 1_000, Tags = "", StorageKey = $"{applicationId}/{Guid.NewGuid():N}",
                CreatedAt = createdAt,
            });
        }
        await db.SaveChangesAsync();
        return applicationId;
    }

    private IRenderedComponent<MediaLibraryPage> RenderLibrary(long applicationId, params string[] titles)
    {
        var page = Render<MediaLibraryPage>(p => p.Add(l => l.AppId, applicationId));
        page.WaitForAssertion(() => Assert.Equal(titles, page.FindAll("[data-testid='media-title']").Select(t => t.TextContent)));
        return page;
    }

    private static string SelectedCount(IRenderedComponent<MediaLibraryPage> page) =>
        page.Find("[data-testid='media-selected-count']").TextContent;

    [Fact]
    public async Task Rows_are_selected_by_their_checkbox_or_a_click_on_the_row_and_the_header_selects_the_page()
    {
        var applicationId = await ApplicationWithMediaAsync("First clip", "Second clip", "Third clip");
        await EnterApplicationAsync(applicationId);
        var page = RenderLibrary(applicationId, "First clip", "Second clip", "Third clip");
        Assert.Empty(page.FindAll("[data-testid='media-bulk-bar']"));

        await page.FindAndChangeAsync("input[aria-label='Select Second clip']", true);
        page.WaitForAssertion(() => Assert.Equal("1 selected", SelectedCount(page)));
        Assert.True(page.Find("input[aria-label='Select Second clip']").HasAttribute("checked"));

        await page.InvokeAsync(() => page.FindAll("tbody tr").Single(row => row.TextContent.Contains("Third clip")).Click());
        page.WaitForAssertion(() => Assert.Equal("2 selected", SelectedCount(page)));
        // Part of the page selected: the header's box shows "some", and a click selects the rest.
        Assert.Contains("mud-checkbox-null", page.Find("th .mud-checkbox span").ClassName);

        await page.FindAndChangeAsync("input[aria-label='Select all rows on this page']", true);
        page.WaitForAssertion(() => Assert.Equal("3 selected", SelectedCount(page)));
        Assert.All(page.FindAll("tbody input[type='checkbox']"), box => Assert.True(box.HasAttribute("checked")));

        await page.FindAndChangeAsync("input[aria-label='Select all rows on this page']", false);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='media-bulk-bar']")));
        Assert.All(page.FindAll("tbody input[type='checkbox']"), box => Assert.False(box.HasAttribute("checked")));
    }

    [Fact]
    public async Task A_read_only_role_has_no_selection_and_a_row_click_selects_nothing()
    {
        var applicationId = await ApplicationWithMediaAsync("Only clip");
        var application = await Services.GetRequiredService<ApplicationService>().FindAsync(applicationId);
        var role = ConsoleRole.For(application!, ApplicationAccess.ReadOnly);
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog(OwnerId, "owner@vod.test", false, null, true, BillingMode.Daily, ServiceStatus.Active, [role]), role);
        var page = RenderLibrary(applicationId, "Only clip");

        await page.FindAndClickAsync("tbody tr");

        Assert.Empty(page.FindAll("input[type='checkbox']"));
        Assert.Empty(page.FindAll("[data-testid='media-bulk-bar']"));
        Assert.Empty(page.FindAll("[data-testid='delete-media']"));
    }

    [Fact]
    public async Task An_empty_library_says_how_to_fill_it_and_both_page_buttons_are_disabled()
    {
        var applicationId = await ApplicationWithMediaAsync();
        await EnterApplicationAsync(applicationId);
        var page = Render<MediaLibraryPage>(p => p.Add(l => l.AppId, applicationId));

        page.WaitForAssertion(() => Assert.Contains("No media yet. Upload", page.Find("[data-testid='media-empty']").TextContent));
        Assert.True(page.Find("[data-testid='media-previous']").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid='media-next']").HasAttribute("disabled"));
    }
}
