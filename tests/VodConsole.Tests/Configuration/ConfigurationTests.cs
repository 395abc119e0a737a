using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Configuration;
using VodConsole.Core.Media;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Configuration;

/// <summary>
/// Configuration templates and drift: the export holds every section and no secret, the comparison finds each kind of
/// difference, and applying does exactly what the preview showed — per target one transaction and one audit entry,
/// keys regenerated or kept but never copied, nothing half-written, a stale preview refused.
/// </summary>
public sealed class ConfigurationTests : IAsyncLifetime
{
    private const string TestSigningKey = "TestKey12345";
    private static readonly IReadOnlyList<ConfigSection> All = Enum.GetValues<ConfigSection>();

    private TestConsole console = null!;
    private long test;
    private long production;
    private string testCallbackKey = "";

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        test = (await applications.CreateSubApplicationAsync("Test", null)).Id;
        production = (await applications.CreateSubApplicationAsync("Production", null)).Id;

        var scope = await console.InApplicationAsync(test);
        await scope.GetRequiredService<PlaybackSettingsService>().SaveAsync(true, TestSigningKey);
        testCallbackKey = (await scope.GetRequiredService<CallbackSettingsService>().SaveAsync(new CallbackSettingsEdit(
            CallbackMode.Push, "https://hooks.example.com/test", [CallbackEventType.MediaProcessed, CallbackEventType.MediaDeleted], 0))).Key!;
        var web = await scope.GetRequiredService<TranscodeTemplates>().CreateAsync(
            new TranscodeTemplateEdit("Web", TranscodeFormat.Hls, [new(360, 800, 30, 96), new(720, 2800, 30, 128)]));
        await scope.GetRequiredService<TranscodeTemplates>().SetDefaultAsync(web.Id);
        await scope.GetRequiredService<MediaReview>().SetModeAsync(ReviewMode.Manual, 0);
        await scope.GetRequiredService<MediaCategories>().CreateAsync("News");

        var prod = await console.InApplicationAsync(production);
        await prod.GetRequiredService<MediaCategories>().CreateAsync("Sport");
    }

    public ValueTask DisposeAsync() => console.DisposeAsync();

    private Task<ConfigurationDocument> ExportAsync(long app) => console.Get<ConfigurationService>().ExportAsync(app);

    private async Task<(ConfigurationPreview Preview, IReadOnlyList<ConfigurationApplyResult> Results)> ApplyAsync(
        long source, IReadOnlyList<ConfigSection> sections, params long[] targets)
    {
        var service = console.Get<ConfigurationService>();
        var preview = await service.PreviewAsync(await ExportAsync(source), sections, targets);
        return (preview, await service.ApplyAsync(preview));
    }

    private async Task<int> AppliedEntriesAsync(long app)
    {
        await using var db = await console.OpenDbAsync();
        return await db.AuditEntries.CountAsync(e => e.ApplicationId == app && e.Action == AuditActions.ConfigurationApplied);
    }

    [Fact]
    public async Task The_export_holds_every_section_and_never_a_secret()
    {
        var document = await ExportAsync(test);
        var json = document.ToJson();

        Assert.Equal((ConfigurationDocument.CurrentSchemaVersion, test, "Test"), (document.SchemaVersion, document.Application.Id, document.Application.Name));
        Assert.Equal(($"/play/{test}", true), (document.Playback.PlaybackPath, document.Playback.SigningEnabled));
        Assert.Equal((CallbackMode.Push, "https://hooks.example.com/test"), (document.Callbacks.Mode, document.Callbacks.Url));
        Assert.Equal([CallbackEventType.MediaProcessed, CallbackEventType.MediaDeleted], document.Callbacks.Events);
        var web = Assert.Single(document.Transcoding.Templates);
        Assert.Equal(("Web", TranscodeFormat.Hls, 2), (web.Name, web.Format, web.Renditions.Count));
        Assert.Equal("Web", document.Transcoding.DefaultProcessing);
        Assert.Equal(ReviewMode.Manual, document.Review.Mode);
        Assert.Equal(["News"], document.Categories);
        Assert.Contains("\"schemaVersion\": 1", json);
        Assert.DoesNotContain(TestSigningKey, json);
        Assert.DoesNotContain(testCallbackKey, json);
        Assert.DoesNotContain("key", json, StringComparison.OrdinalIgnoreCase);
        // What the console writes, it reads back as it was.
        Assert.Equal(json, ConfigurationDocument.Parse(json).ToJson());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"application\": {}}", "no schemaVersion")]
    [InlineData("{\"schemaVersion\": 2}", "schemaVersion is 2")]
    [InlineData("{\"schemaVersion\": 1, \"application\": {\"id\": 1, \"name\": \"x\"}}", "lacks a section")]
    public void A_document_that_is_not_one_is_refused_with_what_is_wrong(string text, string message)
    {
        var refused = Assert.Throws<DomainRuleException>(() => ConfigurationDocument.Parse(text));
        Assert.Contains(message, refused.Message);
        Assert.Equal(ConfigurationDocument.Field, refused.Field);
    }

    [Fact]
    public async Task The_comparison_finds_each_kind_of_difference_and_nothing_else()
    {
        var differences = ConfigurationComparison.Differences(await ExportAsync(production), await ExportAsync(test));

        Assert.Contains(new ConfigurationRow(ConfigSection.Playback, "URL signing", "Off", "On", DifferenceKind.Changed), differences);
        Assert.Contains(new ConfigurationRow(ConfigSection.Review, "Review mode", "Off", "Manual", DifferenceKind.Changed), differences);
        Assert.Contains(new ConfigurationRow(ConfigSection.Categories, "Category: News", null, ConfigurationComparison.Present, DifferenceKind.Added), differences);
        Assert.Contains(new ConfigurationRow(ConfigSection.Categories, "Category: Sport", ConfigurationComparison.Present, null, DifferenceKind.Removed), differences);
        Assert.Contains(differences, d => d is { Section: ConfigSection.Transcoding, Item: "Template: Web", Left: null, Kind: DifferenceKind.Added });
        Assert.Contains(new ConfigurationRow(ConfigSection.Transcoding, "Default processing", "None", "Web", DifferenceKind.Changed), differences);
        Assert.Contains(new ConfigurationRow(ConfigSection.Callbacks, "Event: Media processed", null, ConfigurationComparison.Subscribed, DifferenceKind.Added), differences);
        // An application compared with itself has no differences; identity (ID, name, playback path) is never one.
        Assert.Empty(ConfigurationComparison.Differences(await ExportAsync(test), await ExportAsync(test)));
        Assert.DoesNotContain(differences, d => d.Item.Contains("path", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Applying_changes_exactly_what_the_preview_showed_and_deletes_nothing()
    {
        var before = await ExportAsync(production);

        var (preview, results) = await ApplyAsync(test, All, production);

        var target = Assert.Single(preview.Targets);
        Assert.Null(target.Problem);
        Assert.DoesNotContain(target.Changes, c => c.Kind == DifferenceKind.Removed);
        Assert.Equal(ApplyOutcome.Applied, Assert.Single(results).Outcome);
        var after = await ExportAsync(production);
        Assert.Equal(target.Changes, ConfigurationComparison.Differences(before, after));
        Assert.Equal(target.Changes, results[0].Changes);
        // The drift is gone, but for the category only production has, which applying keeps (and says so).
        var left = ConfigurationComparison.Differences(await ExportAsync(test), after);
        Assert.Equal(new ConfigurationRow(ConfigSection.Categories, "Category: Sport", null, ConfigurationComparison.Present, DifferenceKind.Added), Assert.Single(left));
        Assert.Contains(target.Notes, n => n.Contains("Sport", StringComparison.Ordinal));
        // The default processing names production's own copy of the template, not test's.
        var scope = await console.InApplicationAsync(production);
        var defaultId = await scope.GetRequiredService<TranscodeTemplates>().GetDefaultAsync();
        Assert.Contains((await scope.GetRequiredService<TranscodeTemplates>().ListAsync()), t => t.Id == defaultId && t.Name == "Web");

        // Applying again finds nothing to change and records nothing more.
        var (_, again) = await ApplyAsync(test, All, production);
        Assert.Equal(ApplyOutcome.NothingToChange, Assert.Single(again).Outcome);
        Assert.Equal(1, await AppliedEntriesAsync(production));
    }

    [Fact]
    public async Task Keys_are_never_copied_a_missing_one_is_generated_and_an_existing_one_kept()
    {
        // Production already has a callback key (Pull mode made one) and no signing key.
        var prod = await console.InApplicationAsync(production);
        var productionCallbackKey = (await prod.GetRequiredService<CallbackSettingsService>().SaveAsync(
            new CallbackSettingsEdit(CallbackMode.Pull, null, [CallbackEventType.MediaDeleted], 0))).Key;

        var (preview, _) = await ApplyAsync(test, [ConfigSection.Playback, ConfigSection.Callbacks], production);

        Assert.Contains(preview.Targets[0].Notes, n => n.Contains("new URL-signing key is generated", StringComparison.Ordinal));
        Assert.Contains(preview.Targets[0].Notes, n => n.Contains("keeps its own callback key", StringComparison.Ordinal));
        var playback = await console.Get<PlaybackSettingsService>().GetForAsync(production);
        Assert.True(playback.SigningEnabled);
        Assert.NotNull(playback.SigningKey);
        Assert.NotEqual(TestSigningKey, playback.SigningKey);
        UrlSigning.ValidateKey(playback.SigningKey);
        var callbacks = await (await console.InApplicationAsync(production)).GetRequiredService<CallbackSettingsService>().GetAsync();
        Assert.Equal((CallbackMode.Push, "https://hooks.example.com/test", productionCallbackKey), (callbacks.Mode, callbacks.Url, callbacks.Key));
        Assert.NotEqual(testCallbackKey, callbacks.Key);
    }

    [Fact]
    public async Task Each_target_gets_one_audit_entry_with_before_and_after()
    {
        var staging = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Staging", null)).Id;

        var (_, results) = await ApplyAsync(test, [ConfigSection.Review, ConfigSection.Categories], production, staging);

        Assert.All(results, r => Assert.Equal(ApplyOutcome.Applied, r.Outcome));
        Assert.Equal((1, 1, 0), (await AppliedEntriesAsync(production), await AppliedEntriesAsync(staging), await AppliedEntriesAsync(test)));
        await using var db = await console.OpenDbAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.ApplicationId == production && e.Action == AuditActions.ConfigurationApplied);
        Assert.Contains(AuditChange.Compare(entry.Before, entry.After), v => v == new AuditChangedValue("Review · Review mode", "Off", "Manual"));
        Assert.Contains(AuditChange.Compare(entry.Before, entry.After), v => v == new AuditChangedValue("Categories · Category: News", null, ConfigurationComparison.Present));
        Assert.Contains("Test", entry.Target);
    }

    [Fact]
    public async Task A_target_that_breaks_a_rule_changes_nothing_and_the_others_are_applied()
    {
        // Full already has the most templates an application may have: one more breaks its rule.
        var full = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Full", null)).Id;
        var scope = await console.InApplicationAsync(full);
        for (var i = 0; i < TranscodeTemplateRules.MaxCustomTemplates; i++)
        {
            await scope.GetRequiredService<TranscodeTemplates>().CreateAsync(new TranscodeTemplateEdit($"Own {i}", TranscodeFormat.Mp4, [new(360, 800, 30, 96)]));
        }
        var fullBefore = await ExportAsync(full);

        var (preview, results) = await ApplyAsync(test, [ConfigSection.Transcoding, ConfigSection.Review], full, production);

        Assert.Contains("51 templates", preview.Targets.Single(t => t.ApplicationId == full).Problem);
        var refused = results.Single(r => r.ApplicationId == full);
        Assert.Equal(ApplyOutcome.Invalid, refused.Outcome);
        Assert.Contains("Nothing was applied to Full", refused.Message);
        Assert.Empty(ConfigurationComparison.Differences(fullBefore, await ExportAsync(full)));
        Assert.Equal(0, await AppliedEntriesAsync(full));
        Assert.Equal(ApplyOutcome.Applied, results.Single(r => r.ApplicationId == production).Outcome);
        Assert.Equal(ReviewMode.Manual, (await ExportAsync(production)).Review.Mode);
    }

    [Fact]
    public async Task A_save_the_database_refuses_leaves_nothing_half_written()
    {
        var before = await ExportAsync(production);
        await console.RefuseInDatabaseAsync("MediaCategories", "INSERT");

        var (_, results) = await ApplyAsync(test, All, production);

        Assert.Equal(ApplyOutcome.Failed, Assert.Single(results).Outcome);
        // Templates were saved first within the transaction; the refused categories rolled them back with everything else.
        Assert.Empty(ConfigurationComparison.Differences(before, await ExportAsync(production)));
        Assert.Null((await console.Get<PlaybackSettingsService>().GetForAsync(production)).SigningKey);
        Assert.Equal(0, await AppliedEntriesAsync(production));
    }

    [Fact]
    public async Task A_stale_preview_is_refused_and_changes_nothing()
    {
        var service = console.Get<ConfigurationService>();
        var preview = await service.PreviewAsync(await ExportAsync(test), All, [production]);
        var prod = await console.InApplicationAsync(production);
        await prod.GetRequiredService<MediaCategories>().CreateAsync("Added meanwhile");
        var before = await ExportAsync(production);

        var result = Assert.Single(await service.ApplyAsync(preview));

        Assert.Equal(ApplyOutcome.Stale, result.Outcome);
        Assert.Contains("changed after the preview", result.Message);
        Assert.Empty(ConfigurationComparison.Differences(before, await ExportAsync(production)));
        Assert.Equal(0, await AppliedEntriesAsync(production));
    }

    [Fact]
    public async Task An_uploaded_document_is_checked_like_the_pages_check_their_input()
    {
        var document = await ExportAsync(test);
        var broken = document with
        {
            Callbacks = document.Callbacks with { Url = "http://127.0.0.1/hook" },
            Transcoding = document.Transcoding with { DefaultProcessing = "Missing" },
        };

        var callbacks = await console.Get<ConfigurationService>().PreviewAsync(broken, [ConfigSection.Callbacks], [production]);
        var transcoding = await console.Get<ConfigurationService>().PreviewAsync(broken, [ConfigSection.Transcoding], [production]);
        var review = await console.Get<ConfigurationService>().PreviewAsync(broken, [ConfigSection.Review], [production]);

        Assert.StartsWith("Callbacks: the URL is not usable", callbacks.Targets[0].Problem);
        Assert.Contains("\"Missing\" is neither a system preset nor one of the templates", transcoding.Targets[0].Problem);
        Assert.Null(review.Targets[0].Problem); // only the chosen sections are checked and applied
        await Assert.ThrowsAsync<DomainRuleException>(() => console.Get<ConfigurationService>().PreviewAsync(document, [], [production]));
        await Assert.ThrowsAsync<DomainRuleException>(() => console.Get<ConfigurationService>().PreviewAsync(document, All, []));
    }

    [Fact]
    public async Task Previewing_and_applying_need_full_access_to_each_target_and_an_unseen_one_is_not_found()
    {
        var fullTest = await console.AddUserAsync("full-test@vod.test");
        var readOnlyProduction = await console.AddUserAsync("readonly-production@vod.test");
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = fullTest, ApplicationId = test, Access = ApplicationAccess.Full });
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = readOnlyProduction, ApplicationId = test, Access = ApplicationAccess.Full });
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = readOnlyProduction, ApplicationId = production, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var document = await ExportAsync(test);
        var preview = await console.Get<ConfigurationService>().PreviewAsync(document, All, [production]);
        var before = await ExportAsync(production);

        var asFullTest = (await console.AsUserAsync(fullTest)).GetRequiredService<ConfigurationService>();
        var asReadOnly = (await console.AsUserAsync(readOnlyProduction)).GetRequiredService<ConfigurationService>();

        Assert.Equal(test, (await asFullTest.ExportAsync(test)).Application.Id);
        Assert.Equal(AccessPolicy.NotFoundMessage, (await Assert.ThrowsAsync<AccessDeniedException>(() => asFullTest.ExportAsync(production))).Message);
        Assert.Equal(AccessPolicy.NotFoundMessage, (await Assert.ThrowsAsync<AccessDeniedException>(() => asFullTest.PreviewAsync(document, All, [production]))).Message);
        Assert.Equal(AccessPolicy.NotFoundMessage, (await Assert.ThrowsAsync<AccessDeniedException>(() => asFullTest.ApplyAsync(preview))).Message);
        Assert.Equal(production, (await asReadOnly.ExportAsync(production)).Application.Id);
        Assert.Equal(AccessPolicy.ReadOnlyMessage, (await Assert.ThrowsAsync<AccessDeniedException>(() => asReadOnly.ApplyAsync(preview))).Message);
        // A refusal of one target refuses them all before anything is written.
        var both = await console.Get<ConfigurationService>().PreviewAsync(document, All, [test, production]);
        await Assert.ThrowsAsync<AccessDeniedException>(() => asReadOnly.ApplyAsync(both));
        Assert.Empty(ConfigurationComparison.Differences(before, await ExportAsync(production)));
        Assert.Equal(0, await AppliedEntriesAsync(production));
    }
}
