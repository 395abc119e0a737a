using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;

namespace VodConsole.Tests.Media;

public sealed class MediaSearchTests
{
    private static readonly DateTime Start = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    private static async Task<long> AddAsync(TestConsole console, long app, string title, string description = "", string tags = "",
        long size = 1000, int minutes = 0, long? categoryId = null)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Description = description, Tags = tags, SizeBytes = size, CategoryId = categoryId,
            Status = MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = Start.AddMinutes(minutes),
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }

    private static async Task<(TestConsole Console, long App, MediaLibrary Library)> StartAsync()
    {
        var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        return (console, app, (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>());
    }

    private static async Task<(TestConsole Console, long A, long B)> StartWithTwoApplicationsAsync()
    {
        var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        return (console, a, b);
    }

    private static async Task<MediaLibrary> LibraryOfAsync(TestConsole console, long app) =>
        (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>();

    private static async Task<List<string>> TitlesAsync(MediaLibrary library, MediaQuery query) =>
        (await library.PageAsync(query, null, size: 100)).Items.Select(m => m.Title).ToList();

    [Fact]
    public async Task Search_finds_words_and_word_beginnings_in_title_description_and_tags()
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Quarterly conference keynote");
        await AddAsync(console, app, "Holiday", description: "Filmed at the product conference");
        await AddAsync(console, app, "Cat video", tags: "conference,pets");
        await AddAsync(console, app, "Unrelated clip");

        Assert.Equal(3, (await TitlesAsync(library, new MediaQuery("conf", Sort: MediaSort.Relevance))).Count);
        Assert.Equal(["Quarterly conference keynote"], await TitlesAsync(library, new MediaQuery("KEYNOTE conference")));
        Assert.Empty(await TitlesAsync(library, new MediaQuery("keynote holiday")));
    }

    [Fact]
    public async Task A_match_in_the_title_ranks_above_one_in_the_description()
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Morning run", description: "A long sunrise walk along the harbour", minutes: 2);
        await AddAsync(console, app, "Sunrise over the harbour", minutes: 1);
        await AddAsync(console, app, "Evening", tags: "sunrise", minutes: 3);

        var titles = await TitlesAsync(library, new MediaQuery("sunrise", Sort: MediaSort.Relevance));

        Assert.Equal(["Sunrise over the harbour", "Evening", "Morning run"], titles);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("title: OR NOT *")]
    [InlineData("app : \"app1\"")]
    [InlineData("'; DROP TABLE Media; --")]
    [InlineData("NEAR(a b)")]
    public async Task Query_syntax_typed_by_a_user_is_only_text(string text)
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Plain title");

        var page = await library.PageAsync(new MediaQuery(text, Sort: MediaSort.Relevance), null);

        Assert.DoesNotContain(page.Items, m => m.Title != "Plain title");
        Assert.NotNull(await library.FindAsync((await library.PageAsync(new MediaQuery(), null)).Items.Single().Id));
    }

    [Fact]
    public async Task Search_sees_only_the_current_applications_media()
    {
        var (console, a, b) = await StartWithTwoApplicationsAsync();
        await using var _ = console;
        await AddAsync(console, a, "Launch video of A");
        await AddAsync(console, b, "Launch video of B");

        Assert.Equal(["Launch video of A"], await TitlesAsync(await LibraryOfAsync(console, a), new MediaQuery("launch")));
    }

    [Fact]
    public async Task The_index_follows_edits_and_deletes()
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        var id = await AddAsync(console, app, "Draft name");
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            var item = await db.Media.SingleAsync(m => m.Id == id);
            item.Title = "Final name";
            item.Tags = "approved";
            await db.SaveChangesAsync();
        }

        Assert.Empty(await TitlesAsync(library, new MediaQuery("draft")));
        Assert.Equal(["Final name"], await TitlesAsync(library, new MediaQuery("approved")));

        await library.DeleteAsync(id);
        Assert.Empty(await TitlesAsync(library, new MediaQuery("final")));
    }

    // What a migration that rebuilds the media table does to its triggers.
    private const string LostTrigger = "DROP TRIGGER MediaSearchInsert; DELETE FROM MediaSearch;";

    // The format of decision 0006: shared terms and an application column, filled by triggers without the function.
    private const string FirstFormat = """
        DROP TRIGGER MediaSearchInsert; DROP TRIGGER MediaSearchDelete; DROP TRIGGER MediaSearchUpdate; DROP TABLE MediaSearch;
        CREATE VIRTUAL TABLE MediaSearch USING fts5(app, title, description, tags,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
        CREATE TRIGGER MediaSearchInsert AFTER INSERT ON Media BEGIN
            INSERT INTO MediaSearch(rowid, app, title, description, tags)
            VALUES (new.Id, 'app' || new.ApplicationId, new.Title, new.Description, new.Tags);
        END;
        CREATE TRIGGER MediaSearchDelete AFTER DELETE ON Media BEGIN DELETE FROM MediaSearch WHERE rowid = old.Id; END;
        CREATE TRIGGER MediaSearchUpdate AFTER UPDATE OF ApplicationId, Title, Description, Tags ON Media BEGIN
            UPDATE MediaSearch SET app = 'app' || new.ApplicationId, title = new.Title WHERE rowid = new.Id;
        END;
        INSERT INTO MediaSearch(rowid, app, title, description, tags)
            SELECT Id, 'app' || ApplicationId, Title, Description, Tags FROM Media;
        """;

    // The same on PostgreSQL: the trigger dropped and the index emptied; a table of another format (no mark, no GIN index).
    private const string PostgresLostTrigger = """DROP TRIGGER "MediaSearchNote" ON "Media"; DELETE FROM "MediaSearch";""";
    private const string PostgresOtherFormat = """
        DROP TRIGGER "MediaSearchNote" ON "Media"; DROP TABLE "MediaSearch";
        CREATE TABLE "MediaSearch" ("MediaId" bigint PRIMARY KEY, "Terms" tsvector NOT NULL);
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lost_or_outdated_index_is_rebuilt_at_start(bool otherFormat)
    {
        var change = (TestDatabase.IsPostgres, otherFormat) switch
        {
            (false, false) => LostTrigger,
            (false, true) => FirstFormat,
            (true, false) => PostgresLostTrigger,
            (true, true) => PostgresOtherFormat,
        };
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Survivor");
        await using (var db = await console.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(change);
        }
        await AddAsync(console, app, "Latecomer");

        bool rebuilt, again;
        await using (var db = await console.OpenDbAsync())
        {
            rebuilt = await console.Get<IMediaSearchIndex>().EnsureAsync(db);
            again = await console.Get<IMediaSearchIndex>().EnsureAsync(db);
        }

        Assert.True(rebuilt);
        Assert.False(again);
        Assert.Equal(["Survivor"], await TitlesAsync(library, new MediaQuery("survivor")));
        Assert.Equal(["Latecomer"], await TitlesAsync(library, new MediaQuery("latecomer")));
    }

    [Theory]
    [InlineData("Café del Mar", "cafe")]
    [InlineData("Cafe del Mar", "CAFÉ")]
    [InlineData("ＦＵＬＬ ｗｉｄｔｈ", "full width")]
    [InlineData("Ｆｕｌｌ-width", "ｆｕｌ")]
    [InlineData("产品发布会 2026", "产品")] // the start of a run of Chinese
    [InlineData("产品发布会 2026", "发布会")] // a word inside it
    [InlineData("新しいベータ版", "ベータ")]
    [InlineData("Москва ночью", "моск")]
    [InlineData("हिन्दी फ़िल्म", "फ़िल्म")]
    [InlineData("Keynote: conference-opening", "conf open")]
    public async Task Titles_in_any_script_are_found_by_words_and_their_beginnings(string title, string typed)
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, title);
        await AddAsync(console, app, "Something else");

        Assert.Equal([title], await TitlesAsync(library, new MediaQuery(typed, Sort: MediaSort.Relevance)));
    }

    [Fact]
    public async Task Moved_media_is_found_in_its_new_application_only()
    {
        var (console, a, b) = await StartWithTwoApplicationsAsync();
        await using var _ = console;
        var id = await AddAsync(console, a, "Travelling clip");
        await (await console.InApplicationAsync(a)).GetRequiredService<MediaMover>().MoveAsync([id], b);

        Assert.Empty(await TitlesAsync(await LibraryOfAsync(console, a), new MediaQuery("travel")));
        Assert.Equal(["Travelling clip"], await TitlesAsync(await LibraryOfAsync(console, b), new MediaQuery("travel")));
    }

    [Fact]
    public async Task A_tag_filter_matches_whole_tags_only()
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Concert", tags: "live,music");
        await AddAsync(console, app, "Talk show", tags: "live show");
        await AddAsync(console, app, "Studio", tags: "music");
        await AddAsync(console, app, "Launch", tags: "产品发布会,直播 现场");
        await AddAsync(console, app, "Recap", tags: "发布会");
        await AddAsync(console, app, "Odd", tags: "+++");
        await AddAsync(console, app, "Live at the arena", tags: "show"); // the word, but not as a tag

        Assert.Equal(["Concert"], await TitlesAsync(library, new MediaQuery(Tag: "Live")));
        Assert.Equal(["Talk show"], await TitlesAsync(library, new MediaQuery(Tag: "live show")));
        Assert.Equal(["Concert", "Studio"], await TitlesAsync(library, new MediaQuery(Tag: "music", Sort: MediaSort.Title)));
        Assert.Equal(["Recap"], await TitlesAsync(library, new MediaQuery(Tag: "发布会")));
        Assert.Equal(["Launch"], await TitlesAsync(library, new MediaQuery(Tag: "直播 现场")));
        Assert.Equal(["Launch"], await TitlesAsync(library, new MediaQuery("发布", Tag: "产品发布会")));
        Assert.Equal(["Odd"], await TitlesAsync(library, new MediaQuery(Tag: "+++")));
    }


    [Fact]
    public async Task Category_filter_picks_one_category_or_the_uncategorised()
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        long news;
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            var category = new MediaCategory { ApplicationId = app, Name = "News" };
            db.MediaCategories.Add(category);
            await db.SaveChangesAsync();
            news = category.Id;
        }
        await AddAsync(console, app, "Headlines", categoryId: news);
        await AddAsync(console, app, "Loose clip");

        Assert.Equal(["Headlines"], await TitlesAsync(library, new MediaQuery(Category: new MediaCategoryFilter(news))));
        Assert.Equal(["Loose clip"], await TitlesAsync(library, new MediaQuery(Category: new MediaCategoryFilter(null))));
    }

    [Theory]
    [InlineData(MediaSort.Title, new[] { "apple", "Banana", "cherry", "Date" })]
    [InlineData(MediaSort.Largest, new[] { "cherry", "apple", "Date", "Banana" })]
    [InlineData(MediaSort.Oldest, new[] { "Banana", "Date", "apple", "cherry" })]
    [InlineData(MediaSort.Newest, new[] { "cherry", "apple", "Date", "Banana" })]
    public async Task Every_sort_pages_through_all_items_in_order(MediaSort sort, string[] expected)
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        await AddAsync(console, app, "Banana", size: 10, minutes: 0);
        await AddAsync(console, app, "Date", size: 20, minutes: 1);
        await AddAsync(console, app, "apple", size: 30, minutes: 2);
        await AddAsync(console, app, "cherry", size: 40, minutes: 3);

        var titles = new List<string>();
        MediaCursor? after = null;
        do
        {
            var page = await library.PageAsync(new MediaQuery(Sort: sort), after, size: 1);
            titles.AddRange(page.Items.Select(m => m.Title));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(expected, titles);
    }

    [Theory]
    [InlineData(MediaSort.Newest, null)]
    [InlineData(MediaSort.Oldest, null)]
    [InlineData(MediaSort.Title, null)]
    [InlineData(MediaSort.Largest, null)]
    [InlineData(MediaSort.Newest, MediaStatus.Failed)] // a filter on the rows while walking them
    public async Task A_common_word_pages_through_its_matches_in_order_as_a_rare_one_does(MediaSort sort, MediaStatus? status)
    {
        // Above MediaLibrary.CommonSearchHits hits the library walks the media in order instead of joining the hits.
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        var matches = MediaLibrary.CommonSearchHits + 30;
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            for (var i = 0; i < matches + 40; i++)
            {
                db.Media.Add(new MediaItem
                {
                    ApplicationId = app, Title = i < matches ? $"Trailer {i:D4}" : $"Other clip {i}", Description = "", Tags = "",
                    SizeBytes = 1000 + (i * 7919 % 1000), CreatedAt = Start.AddMinutes(i % 97).AddSeconds(i),
                    Status = i % 3 == 0 ? MediaStatus.Failed : MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}",
                });
            }
            await db.SaveChangesAsync();
        }
        List<MediaItem> all;
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(app))
        {
            // Filtered here: PostgreSQL's case-insensitive title collation refuses LIKE, which StartsWith becomes.
            all = [.. (await db.Media.ToListAsync()).Where(m => m.Title.StartsWith("Trailer", StringComparison.Ordinal) && (status == null || m.Status == status))];
        }
        var expected = (sort switch
        {
            MediaSort.Oldest => all.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id),
            MediaSort.Title => all.OrderBy(m => m.Title).ThenBy(m => m.Id),
            MediaSort.Largest => all.OrderByDescending(m => m.SizeBytes).ThenByDescending(m => m.Id),
            _ => all.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id),
        }).Select(m => m.Id).ToList();

        var ids = new List<long>();
        MediaCursor? after = null;
        do
        {
            var page = await library.PageAsync(new MediaQuery("trailer", status, Sort: sort), after, size: 100);
            ids.AddRange(page.Items.Select(m => m.Id));
            after = page.Next;
        }
        while (after is not null);

        Assert.True(expected.Count > (status is null ? MediaLibrary.CommonSearchHits : 0));
        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MediaStatus.Normal)] // a filter on the media rows: every hit is joined before the page is cut
    public async Task Relevance_pages_through_every_match_once(MediaStatus? status)
    {
        var (console, app, library) = await StartAsync();
        await using var _ = console;
        for (var i = 0; i < 7; i++)
        {
            await AddAsync(console, app, $"Match {i}", description: string.Join(' ', Enumerable.Repeat("match", i)));
        }

        var ids = new List<long>();
        MediaCursor? after = null;
        do
        {
            var page = await library.PageAsync(new MediaQuery("match", status, Sort: MediaSort.Relevance), after, size: 3);
            ids.AddRange(page.Items.Select(m => m.Id));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(7, ids.Distinct().Count());
        Assert.Equal(7, ids.Count);
    }

    [Fact]
    public void Words_are_letters_and_digits_lower_cased()
    {
        Assert.Equal(["cafe", "2024", "产品发布会"], MediaSearchTerms.From("Café-2024 \"产品发布会\"").Words);
        Assert.True(MediaSearchTerms.From(" \"*:() ").IsEmpty);
    }
}
