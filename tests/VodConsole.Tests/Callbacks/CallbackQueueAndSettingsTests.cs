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
    [InlineData("", "Enter the URL that events are posted to.")]
    [InlineData("ftp://example.com/hook", "The callback URL is not usable: only http and https URLs can be used for callbacks.")]
    [InlineData("not a url", "The callback URL is not usable: this is not a valid URL (it should start with https:// or http://).")]
    [InlineData("https://user:secret@example.com/hook", "The callback URL is not usable: URLs with a user name or password are not accepted.")]
    [InlineData("http://127.0.0.1:8080/hook", "The callback URL is not usable: 127.0.0.1 is a loopback address, which the console does not connect to. "
        + "To allow it, list it in Network:AllowedPrivateNetworks (one address or range, such as \"10.0.5.20\" or \"10.0.5.0/24\"); "
        + "Network:AllowPrivateTargets=true opens every internal address and is meant for tests only.")]
    public async Task A_url_that_cannot_be_used_is_refused_with_a_message_and_nothing_is_saved(string url, string message)
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services(allowPrivateTargets: false));
        var app = await console.CreateApplicationAsync("Urls");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => console.ConfigureCallbacksAsync(app, CallbackMode.Push, url));

        Assert.Equal(message, refused.Message);
        Assert.Equal(CallbackSettingsService.UrlField, refused.Field);
        var stored = await (await console.InAppAsync<CallbackSettingsService>(app)).GetAsync();
        Assert.Equal((CallbackMode.Off, null, 0L), (stored.Mode, stored.Url, stored.Version));
    }

    [Theory]
    [InlineData("http://LOCALHOST.:8080/hook", "localhost. is a loopback address")]
    [InlineData("http://[::127.0.0.1]/hook", "[::127.0.0.1] is a loopback address")]
    [InlineData("http://10.0.5.20/hook", "10.0.5.20 is a private or other internal address")]
    [InlineData("http://[2002:a00:1::1]/hook", "[2002:a00:1::1] is a private or other internal address")]
    public async Task A_url_the_address_policy_always_refuses_is_refused_at_save_naming_the_setting(string url, string what)
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services(allowPrivateTargets: false));
        var app = await console.CreateApplicationAsync("Private");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => console.ConfigureCallbacksAsync(app, CallbackMode.Push, url));

        Assert.StartsWith("The callback URL is not usable: " + what, refused.Message);
        Assert.Contains("Network:AllowedPrivateNetworks", refused.Message);
    }

    [Fact]
    public async Task Metadata_addresses_are_refused_at_save_even_when_private_targets_are_allowed()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services(allowPrivateTargets: true));
        var app = await console.CreateApplicationAsync("Metadata");

        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, "http://10.0.5.20/hook"); // private: opened by the setting
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            console.ConfigureCallbacksAsync(app, CallbackMode.Push, "http://169.254.169.254/latest/meta-data/"));

        Assert.StartsWith("The callback URL is not usable: 169.254.169.254 is a cloud metadata or link-local address", refused.Message);
        Assert.Contains("Network:AllowPrivateTargets does not open metadata", refused.Message);
    }

    [Fact]
    public async Task A_url_longer_than_the_limit_is_refused_not_cut()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Long");
        var url = "https://example.com/" + new string('a', 2100);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => console.ConfigureCallbacksAsync(app, CallbackMode.Push, url));

        Assert.Equal($"The callback URL is not usable: a URL may have at most {CallbackSettings.UrlMaxLength} characters.", refused.Message);
        Assert.Null((await (await console.InAppAsync<CallbackSettingsService>(app)).GetAsync()).Url);
    }

    [Fact]
    public async Task Off_keeps_the_url_and_events_and_pull_keeps_the_url()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Off");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, "https://example.com/hook", CallbackEventType.MediaDeleted);

        var off = await console.ConfigureCallbacksAsync(app, CallbackMode.Off, "https://elsewhere.example.com/", CallbackEventType.UploadComplete);
        Assert.Equal(CallbackMode.Off, off.Mode);
        Assert.Equal("https://example.com/hook", off.Url);
        Assert.Equal([CallbackEventType.MediaDeleted], off.EventTypes);

        // With Off nothing but the mode is read: not even a URL that would be refused.
        await console.ConfigureCallbacksAsync(app, CallbackMode.Off, "ftp://not-even-http");

        var pull = await console.ConfigureCallbacksAsync(app, CallbackMode.Pull, "https://elsewhere.example.com/", CallbackEventType.UploadComplete);
        Assert.Equal("https://example.com/hook", pull.Url);
        Assert.Equal([CallbackEventType.UploadComplete], pull.EventTypes);
    }

    [Fact]
    public void Choosing_a_delivery_mode_with_no_events_ticks_them_all_and_keeps_a_choice()
    {
        Assert.Equal(CallbackSubscriptions.Choosable.ToHashSet(), CallbackSubscriptions.WhenChoosing(CallbackMode.Push, new HashSet<CallbackEventType>()));
        Assert.Equal(CallbackSubscriptions.Choosable.ToHashSet(), CallbackSubscriptions.WhenChoosing(CallbackMode.Pull, new HashSet<CallbackEventType>()));
        Assert.Empty(CallbackSubscriptions.WhenChoosing(CallbackMode.Off, new HashSet<CallbackEventType>()));
        Assert.Equal([CallbackEventType.MediaMoved], CallbackSubscriptions.WhenChoosing(CallbackMode.Push, new HashSet<CallbackEventType> { CallbackEventType.MediaMoved }));
        Assert.DoesNotContain(CallbackEventType.Test, CallbackSubscriptions.WhenChoosing(CallbackMode.Push, new HashSet<CallbackEventType>()));
    }

    [Fact]
    public async Task A_save_over_a_change_made_meanwhile_is_refused_with_what_is_stored_now()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Conflict");
        var first = await console.InAppAsync<CallbackSettingsService>(app);
        var second = await console.InAppAsync<CallbackSettingsService>(app);
        var seenByFirst = await first.GetAsync();
        var seenBySecond = await second.GetAsync();
        Assert.Equal(0, seenByFirst.Version);

        // Both open the page before anything was saved: the first save wins, the second is told.
        var saved = await first.SaveAsync(new CallbackSettingsEdit(CallbackMode.Push, "https://first.example.com/", [CallbackEventType.MediaDeleted], seenByFirst.Version));
        var conflict = await Assert.ThrowsAsync<CallbackSettingsEditConflictException>(() =>
            second.SaveAsync(new CallbackSettingsEdit(CallbackMode.Pull, null, [CallbackEventType.UploadComplete], seenBySecond.Version)));
        Assert.Equal((CallbackMode.Push, "https://first.example.com/"), (conflict.Current.Mode, conflict.Current.Url));
        Assert.Equal([CallbackEventType.MediaDeleted], conflict.Current.EventTypes);
        Assert.Equal(saved.Version, conflict.Current.Version);

        // A new key is no edit of the settings: a save from the same version still goes through.
        await second.RegenerateKeyAsync();
        var again = await second.SaveAsync(new CallbackSettingsEdit(CallbackMode.Pull, null, [CallbackEventType.UploadComplete], conflict.Current.Version));
        Assert.Equal(CallbackMode.Pull, again.Mode);
        Assert.True(again.Version > saved.Version);

        // ...and the first editor, still holding the older version, is refused in turn; nothing it sent was written.
        await Assert.ThrowsAsync<CallbackSettingsEditConflictException>(() =>
            first.SaveAsync(new CallbackSettingsEdit(CallbackMode.Off, null, [], saved.Version)));
        var stored = await first.GetAsync();
        Assert.Equal((CallbackMode.Pull, again.Version), (stored.Mode, stored.Version));
        var changes = (await console.Get<AuditLog>().AllAsync(new AuditQuery(ApplicationId: app)).ToListAsync())
            .Count(e => e.Action == AuditActions.CallbackSettingsChanged);
        Assert.Equal(2, changes);
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
