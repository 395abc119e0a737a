using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

/// <summary>Editing media details and covers on real SQLite, with the real ffmpeg for covers.</summary>
public sealed class MediaEditorTests : IAsyncDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-editor-");
    private TestConsole console = null!;
    private long app;

    public async ValueTask DisposeAsync()
    {
        if (console is not null) // a test of the rules alone starts no console
        {
            await console.DisposeAsync();
        }
        work.Delete(recursive: true);
    }

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync();
        app = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
    }

    private async Task<MediaEditor> EditorAsync(long? applicationId = null) =>
        (await console.InApplicationAsync(applicationId ?? app)).GetRequiredService<MediaEditor>();

    /// <summary>A Normal video row with a stored cover; the video file itself only when a test needs its frames.</summary>
    private async Task<MediaItem> AddMediaAsync(long? applicationId = null, string? videoPath = null)
    {
        var owner = applicationId ?? app;
        var storage = console.Get<IMediaStorage>();
        var storageKey = videoPath is null
            ? await storage.SaveAsync(owner, new MemoryStream(new byte[64]))
            : await storage.SaveAsync(owner, File.OpenRead(videoPath));
        var item = new MediaItem
        {
            ApplicationId = owner, Title = "Original", Status = MediaStatus.Normal, ContentType = "video/mp4",
            StorageKey = storageKey, CoverKey = await storage.SaveAsync(owner, new MemoryStream([1, 2, 3])),
            DurationSeconds = 2, Width = 320, Height = 240, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await console.Get<ApplicationData>().OpenForAsync(owner);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    private async Task<MediaItem> StoredAsync(long id, long? applicationId = null)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(applicationId ?? app);
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<long> AddCategoryAsync(string name, long? applicationId = null)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(applicationId ?? app);
        var category = new MediaCategory { ApplicationId = applicationId ?? app, Name = name };
        db.MediaCategories.Add(category);
        await db.SaveChangesAsync();
        return category.Id;
    }

    private int StoredFileCount() => Directory.GetFiles(console.MediaRoot, "*", SearchOption.AllDirectories).Length;

    [Fact]
    public async Task Updating_details_saves_the_trimmed_values_and_normalised_tags_and_bumps_the_version()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var category = await AddCategoryAsync("Trailers");
        var editor = await EditorAsync();

        var saved = await editor.UpdateDetailsAsync(item.Id,
            new MediaDetailsEdit("  Big Buck Bunny  ", "  An open movie.  ", category, " Animation, OPEN movie,animation "), item.Version);

        var stored = await StoredAsync(item.Id);
        Assert.Equal("Big Buck Bunny", stored.Title);
        Assert.Equal("An open movie.", stored.Description);
        Assert.Equal(category, stored.CategoryId);
        Assert.Equal("animation,open movie", stored.Tags);
        Assert.Equal(item.Version + 1, stored.Version);
        Assert.Equal(stored.Version, saved.Version);
    }

    [Fact]
    public async Task Edited_details_are_what_the_library_searches_and_filters_by()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var category = await AddCategoryAsync("Trailers");
        await (await EditorAsync()).UpdateDetailsAsync(
            item.Id, new MediaDetailsEdit("Big Buck Bunny", null, category, "Open Movie"), item.Version);
        var library = (await console.InApplicationAsync(app)).GetRequiredService<MediaLibrary>();

        Assert.Equal([item.Id], (await library.PageAsync(new MediaQuery(Text: "bunny"), null)).Items.Select(m => m.Id));
        Assert.Equal([item.Id], (await library.PageAsync(new MediaQuery(Tag: "open movie"), null)).Items.Select(m => m.Id));
        Assert.Equal([item.Id], (await library.PageAsync(new MediaQuery(Category: new(category)), null)).Items.Select(m => m.Id));
        Assert.Empty((await library.PageAsync(new MediaQuery(Text: "original"), null)).Items);
    }

    [Theory]
    [InlineData(null, "Enter a title.")]
    [InlineData("   ", "Enter a title.")]
    [InlineData("201", "201 characters long; at most 200")]
    public async Task A_missing_or_over_long_title_is_refused_and_nothing_is_written(string? title, string message)
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var editor = await EditorAsync();

        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => editor.UpdateDetailsAsync(
            item.Id, new MediaDetailsEdit(title == "201" ? new string('t', 201) : title, "New description", null, "new"), item.Version));

        Assert.Contains(message, rule.Message);
        Assert.Equal(nameof(MediaItem.Title), rule.Field);
        var stored = await StoredAsync(item.Id);
        Assert.Equal(("Original", "", "", item.Version), (stored.Title, stored.Description, stored.Tags, stored.Version));
    }

    [Fact]
    public async Task A_title_of_200_characters_and_a_description_of_2000_are_allowed_one_more_is_not()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var editor = await EditorAsync();

        var saved = await editor.UpdateDetailsAsync(
            item.Id, new MediaDetailsEdit(new string('t', 200), new string('d', 2000), null, null), item.Version);
        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => editor.UpdateDetailsAsync(
            item.Id, new MediaDetailsEdit("Title", new string('d', 2001), null, null), saved.Version));

        Assert.Contains("2001 characters long; at most 2000", rule.Message);
        Assert.Equal(new string('t', 200), (await StoredAsync(item.Id)).Title);
    }

    [Fact]
    public async Task Too_many_tags_are_refused_with_a_message_and_nothing_is_written()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var editor = await EditorAsync();

        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => editor.UpdateDetailsAsync(
            item.Id, new MediaDetailsEdit("New title", null, null, string.Join(',', Enumerable.Range(1, 21))), item.Version));

        Assert.Equal(nameof(MediaItem.Tags), rule.Field);
        Assert.Equal("Original", (await StoredAsync(item.Id)).Title);
    }

    [Fact]
    public async Task Saving_over_an_edit_made_meanwhile_is_a_conflict_that_shows_the_stored_values_and_writes_nothing()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var first = await EditorAsync();
        var second = await EditorAsync();
        await first.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("First", null, null, "one"), item.Version);

        var conflict = await Assert.ThrowsAsync<MediaEditConflictException>(() =>
            second.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Second", null, null, "two"), item.Version));

        Assert.Equal("First", conflict.Current.Title);
        Assert.Contains("changed by someone else", conflict.Message);
        var stored = await StoredAsync(item.Id);
        Assert.Equal(("First", "one"), (stored.Title, stored.Tags));
    }

    [Fact]
    public async Task A_png_replaces_the_cover_as_a_320_pixel_jpeg_and_the_old_cover_file_is_deleted()
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var png = await TestMedia.ImageAsync(work.FullName);
        var editor = await EditorAsync();

        await using (var image = File.OpenRead(png))
        {
            await editor.ReplaceCoverAsync(item.Id, image);
        }

        var stored = await StoredAsync(item.Id);
        var storage = console.Get<IMediaStorage>();
        Assert.NotEqual(item.CoverKey, stored.CoverKey);
        Assert.Null(storage.OpenRead(item.CoverKey!));
        var cover = await new MediaProbe().ProbeAsync(storage.LocalPathOf(stored.CoverKey!)!);
        Assert.Equal((320, 240), (cover.Width, cover.Height));
        await using var head = storage.OpenRead(stored.CoverKey!)!;
        var bytes = new byte[16];
        await head.ReadExactlyAsync(bytes);
        Assert.Equal("image/jpeg", MediaContent.Sniff(bytes)?.ContentType);
    }

    public static TheoryData<string, byte[]> NotCovers => new()
    {
        { "text named .png", Encoding.UTF8.GetBytes("Only text, whatever the name says.\n") },
        { "a video", [0, 0, 0, 0x20, .. "ftypisom"u8, .. new byte[64]] },
        { "a GIF", [.. "GIF89a"u8, .. new byte[64]] },
        { "PNG magic bytes over garbage", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[256]] },
        { "a PNG header over 5 MB", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[5_000_000]] },
    };

    [Theory]
    [MemberData(nameof(NotCovers))]
    public async Task A_file_that_is_not_a_usable_image_is_refused_and_the_old_cover_is_kept(string what, byte[] content)
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var files = StoredFileCount();
        var editor = await EditorAsync();

        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => editor.ReplaceCoverAsync(item.Id, new MemoryStream(content)));

        Assert.Equal(MediaEditor.CoverField, rule.Field);
        Assert.False(string.IsNullOrWhiteSpace(rule.Message), what);
        var stored = await StoredAsync(item.Id);
        Assert.Equal((item.CoverKey, item.Version), (stored.CoverKey, stored.Version));
        Assert.NotNull(console.Get<IMediaStorage>().OpenRead(item.CoverKey!));
        Assert.Equal(files, StoredFileCount());
    }

    [Fact]
    public void A_cover_over_5_MB_is_refused_by_its_size_before_it_is_read()
    {
        Assert.Contains("larger than 5 MB", Assert.Throws<DomainRuleException>(() => MediaEditor.CheckCoverSize(5_000_001)).Message);
        MediaEditor.CheckCoverSize(5_000_000);
    }

    [Fact]
    public async Task A_cover_regenerated_from_a_second_of_the_video_replaces_the_old_one()
    {
        await StartAsync();
        var video = await TestMedia.VideoAsync(work.FullName);
        var item = await AddMediaAsync(videoPath: video);
        var editor = await EditorAsync();

        await editor.RegenerateCoverAsync(item.Id, 1);

        var stored = await StoredAsync(item.Id);
        Assert.NotEqual(item.CoverKey, stored.CoverKey);
        Assert.Null(console.Get<IMediaStorage>().OpenRead(item.CoverKey!));
        Assert.NotNull(console.Get<IMediaStorage>().LocalPathOf(stored.CoverKey!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(double.NaN)]
    public async Task A_second_outside_the_video_is_refused_and_the_cover_kept(double second)
    {
        await StartAsync();
        var item = await AddMediaAsync();
        var editor = await EditorAsync();

        var rule = await Assert.ThrowsAsync<DomainRuleException>(() => editor.RegenerateCoverAsync(item.Id, second));

        Assert.Contains("Choose a second from 0 to 1", rule.Message);
        Assert.Equal(item.CoverKey, (await StoredAsync(item.Id)).CoverKey);
    }

    [Fact]
    public async Task Another_applications_media_cannot_be_edited_given_a_cover_or_deleted_it_is_not_found()
    {
        await StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        var png = await TestMedia.ImageAsync(work.FullName);
        var foreign = await AddMediaAsync(b);
        var editorOfA = await EditorAsync(a);
        var libraryOfA = (await console.InApplicationAsync(a)).GetRequiredService<MediaLibrary>();

        var attempts = new Func<Task>[]
        {
            () => editorOfA.UpdateDetailsAsync(foreign.Id, new MediaDetailsEdit("Taken", null, null, null), foreign.Version),
            () => editorOfA.ReplaceCoverAsync(foreign.Id, File.OpenRead(png)),
            () => editorOfA.RegenerateCoverAsync(foreign.Id, 0),
            () => libraryOfA.DeleteAsync(foreign.Id),
        };
        foreach (var attempt in attempts)
        {
            var rule = await Assert.ThrowsAsync<ResourceNotFoundException>(attempt);
            Assert.StartsWith("Not found", rule.Message);
        }

        Assert.Null(await libraryOfA.FindAsync(foreign.Id));
        var stored = await StoredAsync(foreign.Id, b);
        Assert.Equal(("Original", foreign.CoverKey, foreign.Version), (stored.Title, stored.CoverKey, stored.Version));
    }

    [Fact]
    public async Task Assigning_another_applications_category_is_refused_and_nothing_is_written()
    {
        await StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("A", null)).Id;
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("B", null)).Id;
        var mine = await AddMediaAsync(a);
        var categoryOfB = await AddCategoryAsync("Trailers", b);

        var rule = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await EditorAsync(a)).UpdateDetailsAsync(
            mine.Id, new MediaDetailsEdit("New title", null, categoryOfB, null), mine.Version));

        Assert.StartsWith("Not found: this category", rule.Message);
        Assert.Equal(nameof(MediaItem.CategoryId), rule.Field);
        var stored = await StoredAsync(mine.Id, a);
        Assert.Equal(("Original", (long?)null), (stored.Title, stored.CategoryId));
    }
}
