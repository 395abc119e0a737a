using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Packages;
using VodConsole.Core.Playback;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Common;

/// <summary>
/// What every form sends, sent to the services directly (as a forged request would): hostile or odd input is either kept
/// exactly as text or refused with a message for the field, and a refusal leaves nothing behind.
/// </summary>
public sealed class FormInputTests : IAsyncDisposable
{
    private static readonly string[] Refused =
    [
        "", "   ", "\u200B\u200B", "evil\u202Egnp.exe", "nul\u0000byte", "broken \uD800 text", new string('x', 10_000),
    ];

    private static readonly string[] KeptAsText = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "名前 🎬 Ünï", "a'\";--"];

    private TestConsole console = null!;
    private IServiceProvider app = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        var id = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Forms", null)).Id;
        app = await console.InApplicationAsync(id);
    }

    private static async Task ExpectRefusedAsync(Func<Task> submit)
    {
        var refused = await Assert.ThrowsAsync<DomainRuleException>(submit);
        Assert.IsNotType<AccessDeniedException>(refused);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
    }

    [Fact]
    public async Task Application_names_and_descriptions()
    {
        await StartAsync();
        var applications = console.Get<ApplicationService>();
        foreach (var name in Refused)
        {
            await ExpectRefusedAsync(() => applications.CreateSubApplicationAsync(name, null));
        }
        await ExpectRefusedAsync(() => applications.CreateSubApplicationAsync("Fine", "desc\u0007"));
        await ExpectRefusedAsync(() => applications.CreateSubApplicationAsync("Forms", null)); // a duplicate
        foreach (var name in KeptAsText)
        {
            var created = await applications.CreateSubApplicationAsync(name[..Math.Min(name.Length, ApplicationRules.NameMaxLength)], name);
            Assert.Equal(name, created.Description);
        }
        Assert.Equal(2 + KeptAsText.Length, (await applications.ListAsync()).Count);
    }

    [Fact]
    public async Task Category_names()
    {
        await StartAsync();
        var categories = app.GetRequiredService<MediaCategories>();
        foreach (var name in Refused)
        {
            await ExpectRefusedAsync(() => categories.CreateAsync(name));
        }
        await categories.CreateAsync("<b>Trailers</b>");
        await ExpectRefusedAsync(() => categories.CreateAsync("<B>TRAILERS</B>")); // duplicate, ignoring case
        Assert.Equal(["<b>Trailers</b>"], (await categories.ListAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task Media_titles_descriptions_and_tags()
    {
        await StartAsync();
        var item = new MediaItem
        {
            ApplicationId = app.GetRequiredService<VodConsole.Core.Roles.RoleContext>().CurrentApplicationId, Title = "Clip",
            Status = MediaStatus.Normal, StorageKey = $"1/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await app.GetRequiredService<ApplicationData>().OpenAsync())
        {
            db.Media.Add(item);
            await db.SaveChangesAsync();
        }
        var editor = app.GetRequiredService<MediaEditor>();
        foreach (var title in Refused)
        {
            await ExpectRefusedAsync(() => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit(title, null, null, null), item.Version));
        }
        await ExpectRefusedAsync(() => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Clip", "ok\u202E", null, null), item.Version));
        await ExpectRefusedAsync(() => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Clip", null, null, "fine, bad\u0000tag"), item.Version));
        await ExpectRefusedAsync(() => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Clip", null, 999_999, null), item.Version));

        var saved = await editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("<script>x</script>", "<img src=x onerror=alert(1)>", null, "<b>,名前"), item.Version);
        Assert.Equal(("<script>x</script>", "<img src=x onerror=alert(1)>", "<b>,名前"), (saved.Title, saved.Description, saved.Tags));
    }

    /// <summary>Invisible characters, each with the name the refusal must give it.</summary>
    public static TheoryData<string, string> Invisible => new()
    {
        { "\u200B", "zero-width space (U+200B)" },
        { "\u200C", "zero-width non-joiner (U+200C)" },
        { "\u200D", "zero-width joiner (U+200D)" },
        { "\u2060", "word joiner (U+2060)" },
        { "\uFEFF", "byte-order mark" },
        { "\u00AD", "soft hyphen (U+00AD)" },
        { "\u200E", "left-to-right mark (U+200E)" },
        { "\u200F", "right-to-left mark (U+200F)" },
        { "\t", "tab (U+0009)" },
    };

    private static async Task ExpectNamedAsync(string character, Func<Task> submit)
    {
        var refused = await Assert.ThrowsAsync<DomainRuleException>(submit);
        Assert.Contains(character, refused.Message);
    }

    [Theory]
    [MemberData(nameof(Invisible))]
    public async Task Invisible_characters_are_refused_in_every_field_with_their_name(string invisible, string named)
    {
        await StartAsync();
        var text = $"D{invisible}up";
        var applications = console.Get<ApplicationService>();
        var forms = (await applications.ListAsync()).Single(a => a.Name == "Forms");
        await ExpectNamedAsync(named, () => applications.CreateSubApplicationAsync(text, null));
        await ExpectNamedAsync(named, () => applications.CreateSubApplicationAsync("Fine", text));
        await ExpectNamedAsync(named, () => applications.UpdateAsync(forms.Id, text, "", forms.Version));
        await ExpectNamedAsync(named, () => applications.UpdateAsync(forms.Id, "Forms", text, forms.Version));
        var categories = app.GetRequiredService<MediaCategories>();
        await ExpectNamedAsync(named, () => categories.CreateAsync(text));
        var item = await AddMediaAsync();
        var editor = app.GetRequiredService<MediaEditor>();
        await ExpectNamedAsync(named, () => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit(text, null, null, null), item.Version));
        await ExpectNamedAsync(named, () => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Clip", text, null, null), item.Version));
        await ExpectNamedAsync(named, () => editor.UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Clip", null, null, $"fine,{text}"), item.Version));

        Assert.Equal(2, (await applications.ListAsync()).Count);
        Assert.Empty(await categories.ListAsync());
        await using var db = await console.OpenDbAsync();
        var stored = await db.Media.IgnoreQueryFilters().SingleAsync(m => m.Id == item.Id);
        Assert.Equal(("Clip", "", ""), (stored.Title, stored.Description, stored.Tags));
    }

    [Theory]
    [InlineData("👨\u200D👩\u200D👧 family")] // an emoji sequence: the joiners draw one picture
    [InlineData("❤️\u200D🔥")]
    [InlineData("می\u200Cخواهم")] // Persian: the non-joiner keeps two letters apart
    [InlineData("क्\u200Dष")] // Devanagari: the joiner asks for the half form
    [InlineData("\uFEFFPasted")] // a byte-order mark before pasted text carries nothing and is dropped
    public async Task Joiners_that_draw_something_are_kept(string title)
    {
        await StartAsync();
        var item = await AddMediaAsync();

        var saved = await app.GetRequiredService<MediaEditor>().UpdateDetailsAsync(item.Id, new MediaDetailsEdit(title, null, null, null), item.Version);

        Assert.Equal(title.TrimStart('\uFEFF'), saved.Title);
    }

    [Theory]
    [InlineData("Dup", "dup")]
    [InlineData("Dup", "ＤＵＰ")] // full width
    [InlineData("Straße", "STRASSE")]
    [InlineData("ﬁlms", "Films")] // a ligature
    [InlineData("Ὀδυσσεύς", "ὈΔΥΣΣΕΎΣ")] // Greek, final sigma
    [InlineData("Café", "Cafe\u0301")] // é typed two ways
    public async Task Names_that_look_alike_are_one_name(string first, string lookAlike)
    {
        await StartAsync();
        var applications = console.Get<ApplicationService>();
        await applications.CreateSubApplicationAsync(first, null);
        var categories = app.GetRequiredService<MediaCategories>();
        var category = await categories.CreateAsync(first);

        await ExpectRefusedAsync(() => applications.CreateSubApplicationAsync(lookAlike, null));
        await ExpectRefusedAsync(() => categories.CreateAsync(lookAlike));
        var other = await categories.CreateAsync("Other");
        await ExpectRefusedAsync(() => categories.RenameAsync(other.Id, lookAlike));
        await categories.RenameAsync(category.Id, lookAlike); // its own name in another form is no conflict
        Assert.Equal(2, (await categories.ListAsync()).Count);
    }

    [Fact]
    public async Task A_name_stored_with_an_invisible_character_before_the_rule_still_blocks_its_look_alike()
    {
        await StartAsync();
        await using (var db = await console.OpenDbAsync())
        {
            var forms = await db.Applications.SingleAsync(a => a.Name == "Forms");
            forms.Name = "D\u200Bup"; // as an earlier version stored it, with the key it made then
            forms.NormalizedName = "D\u200BUP";
            await db.SaveChangesAsync();
        }
        await console.Get<DatabaseInitializer>().InitializeAsync(); // the next start

        await ExpectRefusedAsync(() => console.Get<ApplicationService>().CreateSubApplicationAsync("Dup", null));
    }

    private async Task<MediaItem> AddMediaAsync()
    {
        var item = new MediaItem
        {
            ApplicationId = app.GetRequiredService<VodConsole.Core.Roles.RoleContext>().CurrentApplicationId, Title = "Clip",
            Status = MediaStatus.Normal, StorageKey = $"1/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
        };
        await using var db = await app.GetRequiredService<ApplicationData>().OpenAsync();
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    [Fact]
    public async Task User_emails_and_passwords()
    {
        await StartAsync();
        var users = console.Get<UserAccessService>();
        foreach (var email in new[] { "", "not-an-email", "a@b", "Name <a@b.com>", "<script>@x.com", "a@b.com\u0000", new string('a', 300) + "@x.com" })
        {
            await ExpectRefusedAsync(() => users.AddAsync(email, null));
        }
        await ExpectRefusedAsync(() => users.AddAsync("weak@vod.test", "short"));
        await users.AddAsync("ok@vod.test", null);
        await ExpectRefusedAsync(() => users.AddAsync(" OK@vod.test ", null)); // a duplicate
        await using var db = await console.OpenDbAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email!.EndsWith("@vod.test") && !u.Email.StartsWith("admin-") && !u.Email.StartsWith("owner-")));
    }

    [Fact]
    public async Task Pull_urls()
    {
        await StartAsync();
        var pulls = app.GetRequiredService<MediaPullService>();
        foreach (var text in new[] { "", "   ", "ftp://example.com/a.mp4", "javascript:alert(1)", "not a url", "https://" + new string('a', 5000) + ".com/x.mp4" })
        {
            await ExpectRefusedAsync(() => pulls.SubmitAsync(text));
        }
        Assert.Empty(await pulls.ListAsync());
    }

    [Fact]
    public async Task Numbers_out_of_range()
    {
        await StartAsync();
        var ledger = console.Get<PackageLedger>();
        var today = ledger.Today;
        await ExpectRefusedAsync(() => ledger.RegisterAsync(PackageType.Traffic, 0, today, today.AddDays(30)));
        await ExpectRefusedAsync(() => ledger.RegisterAsync(PackageType.Traffic, -5, today, today.AddDays(30)));
        await ExpectRefusedAsync(() => ledger.RegisterAsync(PackageType.Traffic, long.MaxValue, today, today.AddDays(30)));
        await ExpectRefusedAsync(() => ledger.RegisterAsync((PackageType)99, 10, today, today.AddDays(30)));
        await ExpectRefusedAsync(() => ledger.RegisterAsync(PackageType.Traffic, 10, today, today.AddDays(-1)));
        Assert.Empty((await ledger.GetLedgerAsync()).Packages);

        var playback = app.GetRequiredService<PlaybackSettingsService>();
        await ExpectRefusedAsync(() => playback.LinkAsync("http://x", 1, 0));
        await ExpectRefusedAsync(() => playback.LinkAsync("http://x", 1, int.MaxValue));
        await ExpectRefusedAsync(() => playback.SaveAsync(true, "short"));
        await ExpectRefusedAsync(() => playback.SaveAsync(true, "<script>alert</script>"));
    }
}
