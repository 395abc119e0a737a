using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

public sealed class MediaCategoriesDialogTests : ConsoleComponentContext
{
    private long app;

    private async Task<MediaCategories> EnterAsync()
    {
        app = (await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Customer A", null)).Id;
        await EnterApplicationAsync(app);
        return Services.GetRequiredService<MediaCategories>();
    }

    private async Task OpenAsync()
    {
        var dialogs = Services.GetRequiredService<IDialogService>();
        await Dialogs.InvokeAsync(() => dialogs.ShowAsync<MediaCategoriesDialog>("Categories"));
        Dialogs.WaitForAssertion(() => Dialogs.Find("input[data-testid='category-name-input']"));
    }

    private string[] Names() => [.. Dialogs.FindAll("[data-testid='category-name']").Select(n => n.TextContent.Trim())];

    [Fact]
    public async Task A_new_category_is_added_and_listed()
    {
        await EnterAsync();
        await OpenAsync();

        await Dialogs.FindAndInputAsync("input[data-testid='category-name-input']", "  Trailers ");
        await Dialogs.FindAndClickAsync("[data-testid='category-add']");

        Dialogs.WaitForAssertion(() => Assert.Equal(["Trailers"], Names()));
    }

    [Fact]
    public async Task A_duplicate_name_shows_the_message_next_to_the_field_and_adds_nothing()
    {
        var categories = await EnterAsync();
        await categories.CreateAsync("Trailers");
        await OpenAsync();

        await Dialogs.FindAndInputAsync("input[data-testid='category-name-input']", "trailers");
        await Dialogs.FindAndClickAsync("[data-testid='category-add']");

        Dialogs.WaitForAssertion(() => Assert.Contains("A category named \"Trailers\" already exists", Dialogs.Markup));
        Assert.Single(await categories.ListAsync());
        Assert.Single(Dialogs.FindAll("[data-testid='category-row']"));
    }

    [Fact]
    public async Task Deleting_says_how_many_media_items_become_uncategorised_and_then_does_it()
    {
        var categories = await EnterAsync();
        var trailers = await categories.CreateAsync("Trailers");
        await using (var db = await Services.GetRequiredService<ApplicationData>().OpenForAsync(app))
        {
            for (var i = 0; i < 2; i++)
            {
                db.Media.Add(new MediaItem
                {
                    ApplicationId = app, Title = $"Clip {i}", Status = MediaStatus.Normal, CategoryId = trailers.Id,
                    StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }
        await OpenAsync();

        // The dialog loads the categories asynchronously (on PostgreSQL over the network): wait for the list.
        Dialogs.WaitForElement("[data-testid='category-delete']");
        await Dialogs.FindAndClickAsync("[data-testid='category-delete']");
        Dialogs.WaitForAssertion(() => Assert.Contains("2 media items in it will be uncategorised", Dialogs.Markup));
        Assert.Single(await categories.ListAsync());
        await Dialogs.FindButtonAndClickAsync("Delete");

        Dialogs.WaitForAssertion(() => Assert.NotNull(Dialogs.Find("[data-testid='categories-empty']")));
        await using var check = await Services.GetRequiredService<ApplicationData>().OpenForAsync(app);
        Assert.Equal(2, await check.Media.CountAsync(m => m.CategoryId == null));
    }
}
