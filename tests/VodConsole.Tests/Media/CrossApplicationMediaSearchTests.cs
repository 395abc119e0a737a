using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;

namespace VodConsole.Tests.Media;

/// <summary>
/// Searching media across the applications a caller may see: never a hit of another application, the access read at
/// every search, the same relevance order as one application's search, and keyset pages that return every hit once.
/// </summary>
public sealed class CrossApplicationMediaSearchTests
{
    private sealed record World(TestConsole Console, long A, long B, long C, string UserId) : IAsyncDisposable
    {
        public async Task<CrossApplicationMediaSearch> SearchAsync(string? userId = null) =>
            (await Console.AsUserAsync(userId ?? UserId)).GetRequiredService<CrossApplicationMediaSearch>();

        public ValueTask DisposeAsync() => Console.DisposeAsync();
    }

    /// <summary>Applications A, B and C, and a user with full access to A and read-only access to B (none to C).</summary>
    private static async Task<World> StartAsync()
    {
        var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        var a = (await applications.CreateSubApplicationAsync("Alpha", null)).Id;
        var b = (await applications.CreateSubApplicationAsync("Beta", null)).Id;
        var c = (await applications.CreateSubApplicationAsync("Gamma", null)).Id;
        var user = await console.AddUserAsync($"two-grants-{Guid.NewGuid():N}@vod.test");
        await console.Get<UserAccessService>().SetAccessAsync(user, false,
            new Dictionary<long, ApplicationAccess> { [a] = ApplicationAccess.Full, [b] = ApplicationAccess.ReadOnly });
        return new World(console, a, b, c, user);
    }

    private static async Task<long> AddAsync(TestConsole console, long app, string title, string description = "", string tags = "")
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = title, Description = description, Tags = tags, SizeBytes = 1000,
            Status = MediaStatus.Normal, StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }

    private static async Task<List<(string Title, string Application)>> FoundAsync(
        CrossApplicationMediaSearch search, string text, IReadOnlyCollection<long>? applications = null) =>
        (await search.SearchAsync(text, applications, null, size: 100)).Hits.Select(h => (h.Media.Title, h.Application.Name)).ToList();

    [Fact]
    public async Task Grants_to_A_and_B_find_the_media_of_A_and_B_labelled_and_never_that_of_C()
    {
        await using var world = await StartAsync();
        await AddAsync(world.Console, world.A, "Harbour at dawn");
        await AddAsync(world.Console, world.B, "Harbour lights", tags: "night");
        await AddAsync(world.Console, world.C, "Harbour secret");

        var found = await FoundAsync(await world.SearchAsync(), "harb");

        Assert.Equal([("Harbour at dawn", "Alpha"), ("Harbour lights", "Beta")], found.Order());
        var page = await (await world.SearchAsync()).SearchAsync("harbour", null, null);
        Assert.Equal(["Alpha", "Beta"], page.Searched.Select(a => a.Name));
        Assert.All(page.Hits, h => Assert.Equal(h.Application.ApplicationId, h.Media.ApplicationId));
        // A read-only grant sees, as it sees B's own library; only an Administrator sees C's.
        Assert.Equal(ApplicationAccess.ReadOnly, page.Hits.Single(h => h.Media.ApplicationId == world.B).Application.Access);
        var administrator = await world.Console.AddUserAsync($"admin-{Guid.NewGuid():N}@vod.test", isAdministrator: true);
        Assert.Equal(3, (await FoundAsync(await world.SearchAsync(administrator), "harbour")).Count);
    }

    [Fact]
    public async Task Naming_applications_narrows_the_search_and_one_the_caller_may_not_see_is_not_found()
    {
        await using var world = await StartAsync();
        await AddAsync(world.Console, world.A, "Harbour at dawn");
        await AddAsync(world.Console, world.B, "Harbour lights");
        await AddAsync(world.Console, world.C, "Harbour secret");
        var search = await world.SearchAsync();

        Assert.Equal([("Harbour lights", "Beta")], await FoundAsync(search, "harbour", [world.B]));
        // C exists but is not the user's, 42 does not exist: the same answer, and no hit of A or B either.
        var forbidden = await Assert.ThrowsAsync<AccessDeniedException>(() => search.SearchAsync("harbour", [world.A, world.C], null));
        var unknown = await Assert.ThrowsAsync<AccessDeniedException>(() => search.SearchAsync("harbour", [42], null));
        Assert.Equal(AccessPolicy.NotFoundMessage, forbidden.Message);
        Assert.Equal(forbidden.Message, unknown.Message);
    }

    [Fact]
    public async Task A_revoked_grant_takes_its_hits_away_at_the_next_search_of_an_open_tab()
    {
        await using var world = await StartAsync();
        await AddAsync(world.Console, world.A, "Harbour at dawn");
        await AddAsync(world.Console, world.B, "Harbour lights");
        // The tab's catalog was loaded with both grants and is not reloaded: the search reads the grants itself.
        var search = await world.SearchAsync();
        Assert.Equal(2, (await FoundAsync(search, "harbour")).Count);

        await world.Console.Get<UserAccessService>().SetAccessAsync(world.UserId, false,
            new Dictionary<long, ApplicationAccess> { [world.A] = ApplicationAccess.Full });

        Assert.Equal([("Harbour at dawn", "Alpha")], await FoundAsync(search, "harbour"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => search.SearchAsync("harbour", [world.B], null));
    }

    [Fact]
    public async Task Hits_of_several_applications_are_in_the_order_of_relevance_the_last_word_a_prefix()
    {
        await using var world = await StartAsync();
        // Each application ranks a word by how rare it is in its own media (decision 0007): the same number of matches in
        // A and B, so only the columns decide.
        foreach (var app in new[] { world.A, world.B })
        {
            await AddAsync(world.Console, app, app == world.A ? "Morning run" : "Late walk", description: "A long sunrise walk along the harbour");
            await AddAsync(world.Console, app, "Harbour", description: "no match for the first word");
        }
        await AddAsync(world.Console, world.B, "Evening", tags: "sunrise,harbour");
        await AddAsync(world.Console, world.A, "Sunrise over the harbour");

        var titles = (await FoundAsync(await world.SearchAsync(), "harbour sunr")).Select(f => f.Title).ToList();

        // Title (A) above tags (B) above descriptions (A and B), as in one application's search.
        Assert.Equal(["Sunrise over the harbour", "Evening"], titles[..2]);
        Assert.Equal(["Late walk", "Morning run"], titles[2..].Order());
    }

    [Fact]
    public async Task Keyset_pages_return_every_hit_exactly_once_across_applications_even_when_ranks_tie()
    {
        await using var world = await StartAsync();
        // The same rows in A and B rank alike (ties across applications), broken by the media ID.
        var expected = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add(await AddAsync(world.Console, world.A, "Tied clip"));
            expected.Add(await AddAsync(world.Console, world.B, "Tied clip"));
            await AddAsync(world.Console, world.C, "Tied clip");
        }
        var weaker = new[]
        {
            await AddAsync(world.Console, world.A, "Other", description: "Tied clip"),
            await AddAsync(world.Console, world.B, "Other", description: "Tied clip"),
        };
        var search = await world.SearchAsync();

        var seen = new List<long>();
        CrossApplicationCursor? after = null;
        var pages = 0;
        do
        {
            var page = await search.SearchAsync("tied clip", null, after, size: 4);
            seen.AddRange(page.Hits.Select(h => h.Media.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        // Matches in the title rank best, in the description after them; among equal ranks, the media ID decides.
        Assert.Equal([.. expected.Order(), .. weaker.Order()], seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task Without_words_there_is_nothing_to_find()
    {
        await using var world = await StartAsync();
        await AddAsync(world.Console, world.A, "Harbour at dawn");

        var page = await (await world.SearchAsync()).SearchAsync("  !? ", null, null);

        Assert.Empty(page.Hits);
        Assert.Null(page.Next);
    }
}
