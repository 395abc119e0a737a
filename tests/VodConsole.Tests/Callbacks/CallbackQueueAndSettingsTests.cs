using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace VodConsole.Tests.Callbacks;

/// <summary>Pull mode's queue, and the rules of the settings: URL, key, who sees it, what the audit log keeps.</summary>
public sealed class CallbackQueueAndSettingsTests
{
    [Fact]
    public async Task Pull_mode_reads_oldest_first_and_acknowledged_events_are_not_read_again_nor_another_applications()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var a = await console.CreateApplicationAsync("Puller A");
        var b = (await console.Get<VodConsole.Core.Applications.ApplicationService>().CreateSubApplicationAsync("Puller B", null)).Id;
        await console.ConfigureCallbacksAsync(a, CallbackMode.Pull);
        await console.ConfigureCallbacksAsync(b, CallbackMode.Pull);
        var first = await (await console.InAppAsync<CallbackLog>(a)).SendTestAsync();
        var second = await (await console.InAppAsync<CallbackLog>(a)).SendTestAsync();
        var others = await (await console.InAppAsync<CallbackLog>(b)).SendTestAsync();
        var queue = console.Get<CallbackQueue>();

        var read = await queue.ReadAsync(a);
        Assert.Equal([first.Id, second.Id], read.Select(e => e.EventId));
        Assert.Contains($"\"EventId\":{first.Id}", read[0].Payload);
        Assert.Equal(read.Select(e => e.EventId), (await queue.ReadAsync(a)).Select(e => e.EventId)); // reading changes nothing

        // B's event ID in A's acknowledgement is skipped, as if it did not exist.
        Assert.Equal(1, await queue.AckAsync(a, [first.Id, others.Id]));
        Assert.Equal([second.Id], (await queue.ReadAsync(a)).Select(e => e.EventId));
        Assert.Equal([others.Id], (await queue.ReadAsync(b)).Select(e => e.EventId));
        Assert.Equal(0, await queue.AckAsync(a, [first.Id])); // already acknowledged

        var log = await (await console.InAppAsync<CallbackLog>(a)).PageAsync(null);
        Assert.Equal(CallbackEventState.Delivered, log.Events.Single(e => e.Id == first.Id).State);
        Assert.Equal(1, (await (await console.InAppAsync<CallbackSettingsService>(a)).GetAsync()).WaitingPullEvents);
        Assert.Null(await (await console.InAppAsync<CallbackLog>(a)).FindAsync(others.Id));
    }

    [Theory]
    [InlineData(CallbackMode.Push, "", "Enter the URL that events are posted to.")]
    [InlineData(CallbackMode.Push, "ftp://example.com/hook", "The callback URL is not usable: only http and https URLs can be used for callbacks.")]
    [InlineData(CallbackMode.Push, "not a url", "The callback URL is not usable: this is not a valid URL (it should start with https:// or http://).")]
    [InlineData(CallbackMode.Pull, "https://user:secret@example.com/hook", "The callback URL is not usable: URLs with a user name or password are not accepted.")]
    public async Task A_url_that_cannot_be_used_is_refused_with_a_message(CallbackMode mode, string url, string message)
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Urls");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => console.ConfigureCallbacksAsync(app, mode, url));

        Assert.Equal(message, refused.Message);
        Assert.Equal(CallbackSettingsService.UrlField, refused.Field);
    }

    [Fact]
    public void A_url_longer_than_the_limit_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            CallbackSettingsService.ValidUrl("https://example.com/" + new string('a', CallbackSettings.UrlMaxLength), required: true));
        Assert.Contains($"at most {CallbackSettings.UrlMaxLength} characters", refused.Message);
    }

    [Fact]
    public async Task The_first_save_makes_a_key_that_only_full_access_sees_regenerating_replaces_it_and_the_audit_log_never_holds_it()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Keys");
        var saved = await console.ConfigureCallbacksAsync(app, CallbackMode.Push, " https://example.com/hook ", CallbackEventType.MediaDeleted);
        Assert.Equal("https://example.com/hook", saved.Url);
        Assert.Equal([CallbackEventType.MediaDeleted], saved.EventTypes);
        Assert.Equal(43, saved.Key!.Length);

        var settings = await console.InAppAsync<CallbackSettingsService>(app);
        var regenerated = await settings.RegenerateKeyAsync();
        Assert.NotEqual(saved.Key, regenerated);
        Assert.Equal(regenerated, (await settings.GetAsync()).Key);

        var reader = await console.AddUserAsync("reader@callbacks.test");
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = reader, ApplicationId = app, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }
        var asReader = (await console.AsUserAsync(reader, app)).GetRequiredService<CallbackSettingsService>();
        var seen = await asReader.GetAsync();
        Assert.Null(seen.Key);
        Assert.True(seen.KeyHidden);
        Assert.Equal("https://example.com/hook", seen.Url);
        await Assert.ThrowsAsync<AccessDeniedException>(() => asReader.RegenerateKeyAsync());

        var entries = await console.Get<AuditLog>().AllAsync(new AuditQuery(ApplicationId: app)).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.CallbackSettingsChanged);
        Assert.Contains(entries, e => e.Action == AuditActions.CallbackKeyRegenerated);
        Assert.All(entries, e => Assert.DoesNotContain(saved.Key, (e.Before ?? "") + e.After));
        Assert.All(entries, e => Assert.DoesNotContain(regenerated, (e.Before ?? "") + e.After));
    }

    [Fact]
    public async Task Test_events_and_replays_need_callbacks_on_and_are_audited()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Tests");
        var log = await console.InAppAsync<CallbackLog>(app);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => log.SendTestAsync());
        Assert.Equal(CallbackLog.OffMessage, refused.Message);

        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull);
        var test = await log.SendTestAsync();
        await log.ReplayAsync(test.Id);
        await Assert.ThrowsAsync<DomainRuleException>(() => log.ReplayAsync(test.Id + 1000));

        var actions = (await console.Get<AuditLog>().AllAsync(new AuditQuery(ApplicationId: app)).ToListAsync()).Select(e => e.Action).ToList();
        Assert.Contains(AuditActions.CallbackTestSent, actions);
        Assert.Contains(AuditActions.CallbackReplayed, actions);
    }

    [Fact]
    public void Excerpts_are_plain_text_of_at_most_500_characters()
    {
        Assert.Equal("a b c", CallbackDelivery.Sanitize("a\r\n\tb\u0000c"));
        Assert.Null(CallbackDelivery.Sanitize(" \r\n "));
        var clipped = CallbackDelivery.Sanitize(new string('x', 2000))!;
        Assert.Equal(500, clipped.Length);
        Assert.EndsWith("…", clipped);
    }
}
