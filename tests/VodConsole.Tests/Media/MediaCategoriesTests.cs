using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

public sealed class MediaCategoriesTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private long app;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task<MediaCategories> StartAsync()
    {
        console = await TestConsole.StartAsync();
        app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        return await CategoriesAsync(app);
    }

    private async Task<MediaCategories> CategoriesAsync(long applicationId) =>
        (await console.InApplicationAsync(applicationId)).GetRequiredService<MediaCategories>();

    private async Task<long> AddMediaAsync(long applicationId, long? categoryId)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(applicationId);
        var item = new MediaItem
        {
            ApplicationId = applicationId, Title = "Clip", Status = MediaStatus.Normal, CategoryId = categoryId,
            StorageKey = $"{applicationId}/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }

    [Fact]
    public async Task A_category_is_created_with_a_trimmed_name_and_listed_by_name_with_its_media_count()
    {
        var categories = await StartAsync();

        var trailers = await categories.CreateAsync("  Trailers ");
        await categories.CreateAsync("archive");
        await AddMediaAsync(app, trailers.Id);
        await AddMediaAsync(app, trailers.Id);
        await AddMediaAsync(app, null);

        var listed = await categories.ListAsync();
        Assert.Equal([new MediaCategoryListing(listed[0].Id, "archive", 0), new MediaCategoryListing(trailers.Id, "Trailers", 2)], listed);
    }

    [Theory]
    [InlineData(null, "Enter a name for the category.")]
    [InlineData("   ", "Enter a name for the category.")]
    [InlineData("61", "61 characters long; at most 60")]
    public async Task A_missing_or_over_long_name_is_refused(string? name, string message)
    {
        var categories = await StartAsync();

        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => categories.CreateAsync(name == "61" ? new string('c', 61) : name));

        Assert.Contains(message, rule.Message);
        Assert.Empty(await categories.ListAsync());
        Assert.Equal(60, (await categories.CreateAsync(new string('c', 60))).Name.Length);
    }

    [Fact]
    public async Task A_duplicate_name_is_refused_ignoring_case_when_creating_and_renaming()
    {
        var categories = await StartAsync();
        await categories.CreateAsync("Trailers");
        var news = await categories.CreateAsync("News");

        var created = await Assert.ThrowsAsync<DomainRuleException>(() => categories.CreateAsync(" TRAILERS "));
        var renamed = await Assert.ThrowsAsync<DomainRuleException>(() => categories.RenameAsync(news.Id, "trailers"));

        Assert.Contains("A category named \"Trailers\" already exists", created.Message); // the name it clashes with
        Assert.Contains("already exists", renamed.Message);
        Assert.Equal(["News", "Trailers"], (await categories.ListAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task Renaming_changes_the_name_and_may_change_only_its_case()
    {
        var categories = await StartAsync();
        var news = await categories.CreateAsync("news");

        await categories.RenameAsync(news.Id, "News ");
        await categories.RenameAsync(news.Id, "Daily news");

        Assert.Equal("Daily news", (await categories.ListAsync()).Single().Name);
    }

    [Fact]
    public async Task Deleting_a_category_leaves_its_media_uncategorised_and_says_how_many()
    {
        var categories = await StartAsync();
        var doomed = await categories.CreateAsync("Doomed");
        var kept = await categories.CreateAsync("Kept");
        var inDoomed = new[] { await AddMediaAsync(app, doomed.Id), await AddMediaAsync(app, doomed.Id) };
        var inKept = await AddMediaAsync(app, kept.Id);

        var affected = await categories.DeleteAsync(doomed.Id);

        Assert.Equal(2, affected);
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        Assert.All(await db.Media.Where(m => inDoomed.Contains(m.Id)).ToListAsync(), m => Assert.Null(m.CategoryId));
        Assert.Equal(kept.Id, (await db.Media.SingleAsync(m => m.Id == inKept)).CategoryId);
        Assert.Equal(["Kept"], (await categories.ListAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task Another_applications_categories_are_not_listed_renamed_or_deleted_and_may_share_a_name()
    {
        await StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        var categoriesOfA = await CategoriesAsync(a);
        var categoriesOfB = await CategoriesAsync(b);
        var foreign = await categoriesOfB.CreateAsync("Trailers");
        await AddMediaAsync(b, foreign.Id);

        await categoriesOfA.CreateAsync("Trailers");
        var renamed = await Assert.ThrowsAsync<DomainRuleException>(() => categoriesOfA.RenameAsync(foreign.Id, "Mine now"));
        var deleted = await Assert.ThrowsAsync<DomainRuleException>(() => categoriesOfA.DeleteAsync(foreign.Id));

        Assert.StartsWith("Not found", renamed.Message);
        Assert.StartsWith("Not found", deleted.Message);
        Assert.DoesNotContain(await categoriesOfA.ListAsync(), c => c.Id == foreign.Id);
        Assert.Equal([new MediaCategoryListing(foreign.Id, "Trailers", 1)], await categoriesOfB.ListAsync());
    }
}
