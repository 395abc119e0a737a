using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;

namespace VodConsole.Tests.Applications;

public sealed class ApplicationServiceTests
{
    [Fact]
    public async Task Sub_applications_get_distinct_ten_digit_ids_that_differ_from_the_primary()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();

        for (var i = 0; i < 20; i++)
        {
            await service.CreateSubApplicationAsync($"App {i}", null);
        }

        var ids = (await service.ListAsync()).Select(a => a.Id).ToList();
        Assert.Equal(21, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, ApplicationIdGenerator.MinId, ApplicationIdGenerator.MaxId));
    }

    [Fact]
    public async Task An_id_already_taken_is_never_handed_out_again()
    {
        var generator = new ScriptedIdGenerator();
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<ApplicationIdGenerator>(generator));
        await console.EnableSubApplicationsAsync();
        var primaryId = (await console.Get<ApplicationService>().ListAsync()).Single().Id;

        foreach (var id in new[] { primaryId, primaryId, 1_700_000_001 })
        {
            generator.Script.Enqueue(id);
        }
        var created = await console.Get<ApplicationService>().CreateSubApplicationAsync("Second", null);

        Assert.Equal(1_700_000_001, created.Id);
    }

    [Fact]
    public async Task The_account_starts_with_exactly_one_enabled_primary_application()
    {
        await using var console = await TestConsole.StartAsync();

        var applications = await console.Get<ApplicationService>().ListAsync();

        var primary = Assert.Single(applications);
        Assert.Equal(ApplicationKind.Primary, primary.Kind);
        Assert.Equal(ApplicationStatus.Enabled, primary.Status);
        Assert.False(string.IsNullOrWhiteSpace(primary.Name));
    }

    [Fact]
    public async Task Sub_applications_cannot_be_created_before_they_are_enabled()
    {
        await using var console = await TestConsole.StartAsync();

        var error = await Assert.ThrowsAsync<DomainRuleException>(
            () => console.Get<ApplicationService>().CreateSubApplicationAsync("Too early", null));

        Assert.Contains("not enabled", error.Message);
        Assert.Single(await console.Get<ApplicationService>().ListAsync());
    }

    [Fact]
    public async Task Names_are_trimmed_and_unique_ignoring_case()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();

        var created = await service.CreateSubApplicationAsync("  Marketing  ", "  Product videos ");
        var duplicate = await Assert.ThrowsAsync<DomainRuleException>(() => service.CreateSubApplicationAsync("MARKETING", null));

        Assert.Equal("Marketing", created.Name);
        Assert.Equal("Product videos", created.Description);
        Assert.Equal(nameof(Application.Name), duplicate.Field);
        Assert.Contains("already exists", duplicate.Message);
    }

    [Fact]
    public async Task A_sub_application_cannot_take_the_primary_applications_name()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var primaryName = (await console.Get<ApplicationService>().ListAsync()).Single().Name;

        await Assert.ThrowsAsync<DomainRuleException>(
            () => console.Get<ApplicationService>().CreateSubApplicationAsync(primaryName.ToLowerInvariant(), null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_name_is_refused(string? name)
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();

        var error = await Assert.ThrowsAsync<DomainRuleException>(
            () => console.Get<ApplicationService>().CreateSubApplicationAsync(name, null));

        Assert.Equal(nameof(Application.Name), error.Field);
    }

    [Fact]
    public async Task Names_up_to_40_characters_are_accepted_and_41_are_refused()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();

        await service.CreateSubApplicationAsync(new string('a', 40), null);
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => service.CreateSubApplicationAsync(new string('b', 41), null));

        Assert.Contains("at most 40", error.Message);
    }

    [Fact]
    public async Task A_description_over_300_characters_is_refused()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();

        await service.CreateSubApplicationAsync("Exactly 300", new string('d', 300));
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => service.CreateSubApplicationAsync("Too long", new string('d', 301)));

        Assert.Equal(nameof(Application.Description), error.Field);
    }

    [Fact]
    public async Task Creating_the_51st_sub_application_is_refused()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var service = console.Get<ApplicationService>();
        for (var i = 1; i <= ApplicationRules.MaxSubApplications; i++)
        {
            await service.CreateSubApplicationAsync($"Sub {i}", null);
        }

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => service.CreateSubApplicationAsync("Sub 51", null));

        Assert.Contains("50", error.Message);
        await using var db = await console.OpenDbAsync();
        Assert.Equal(50, await db.Applications.CountAsync(a => a.Kind == ApplicationKind.Sub));
    }

    [Fact]
    public async Task A_second_writer_holding_an_old_version_is_refused()
    {
        await using var console = await TestConsole.StartAsync();
        await using var first = await console.OpenDbAsync();
        await using var second = await console.OpenDbAsync();
        var mine = await first.Applications.SingleAsync();
        var theirs = await second.Applications.SingleAsync();

        mine.Description = "First save";
        await first.SaveChangesAsync();
        theirs.Description = "Second save";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Equal(1, mine.Version);
    }

    /// <summary>Hands out the IDs a test scripts, then random ones.</summary>
    private sealed class ScriptedIdGenerator : ApplicationIdGenerator
    {
        public Queue<long> Script { get; } = new();

        public override long Next() => Script.TryDequeue(out var id) ? id : base.Next();
    }
}
