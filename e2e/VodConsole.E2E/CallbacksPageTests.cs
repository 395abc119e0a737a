using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;

namespace VodConsole.E2E;

/// <summary>The event callbacks page in Chromium, pushing to a receiver the test runs on 127.0.0.1.</summary>
public sealed class CallbacksPageTests(ConsoleFixture fixture) : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Timestamp, string Signature, string Body)> received = new();
    private LocalHttpServer receiver = null!;

    public async ValueTask InitializeAsync() =>
        receiver = await LocalHttpServer.StartAsync(app => app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            received.Enqueue((http.Request.Headers["X-Vod-Timestamp"].ToString(), http.Request.Headers["X-Vod-Signature"].ToString(), body));
            return Results.Text("received");
        }));

    public async ValueTask DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task The_owner_pushes_a_signed_test_event_to_a_receiver_and_a_reader_sees_the_log_without_controls_or_key()
    {
        // The shared console keeps the default (loopback refused); this one may reach the test's receiver.
        await using var server = ConsoleServer.Start(allowPrivateTargets: true);
        await server.EnableSubApplicationsAsync();
        var app = await server.CreateSubApplicationAsync("Hooks");
        string key;
        await using (var tab = await fixture.NewPageAsync(server))
        {
            await tab.GotoAsync($"/apps/{app.Id}/callbacks");
            await tab.SignInAsync();
            var page = tab.Page;
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Event callbacks" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("callback-log-empty")).ToBeVisibleAsync();

            await page.GetByText("Push (HTTP POST to a URL)").ClickAsync();
            await page.GetByTestId("callback-save").ClickAsync();
            await Expect(page.GetByText("Enter the URL that events are posted to.")).ToBeVisibleAsync();

            await page.GetByTestId("callback-url").FillAsync(receiver.Url("/hook"));
            await page.GetByTestId("callback-save").ClickAsync();
            await Expect(page.GetByText("Saved: events are delivered by Push.")).ToBeVisibleAsync();
            var keyInput = page.GetByTestId("callback-key");
            await Expect(keyInput).ToHaveValueAsync(new Regex("^[A-Za-z0-9_-]{43}$"));
            key = await keyInput.InputValueAsync();

            await page.GetByTestId("callback-send-test").ClickAsync();
            await Expect(page.GetByTestId("callback-test-result")).ToContainTextAsync("Delivered: HTTP 200 in", new() { Timeout = 30_000 });
            var row = page.GetByTestId("callback-log-row").First;
            await Expect(row.GetByTestId("callback-state")).ToHaveTextAsync("Delivered");
            await Expect(row.GetByTestId("callback-log-status-code")).ToHaveTextAsync("200");
            await Expect(row).ToContainTextAsync("received");
            await tab.ScreenshotAsync("app-callbacks");

            await row.GetByTestId("callback-log-details").ClickAsync();
            await Expect(page.GetByTestId("callback-payload")).ToContainTextAsync("\"EventType\":\"Test\"");
            await Expect(page.GetByTestId("callback-attempt")).ToHaveCountAsync(1);
            await tab.ScreenshotAsync("app-callbacks-event");
            await page.GetByTestId("callback-dialog-close").ClickAsync();
            await Expect(page.GetByTestId("callback-payload")).ToHaveCountAsync(0);

            await row.GetByTestId("callback-log-replay").ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Replay", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("callback-log-row")).ToHaveCountAsync(2);
        }

        var (timestamp, signature, body) = received.First();
        Assert.True(CallbackSignature.Verify(key, long.Parse(timestamp), body, signature));
        var saved = await server.Get<VodConsole.Core.Audit.AuditLog>()
            .AllAsync(new VodConsole.Core.Audit.AuditQuery(ApplicationId: app.Id), TestContext.Current.CancellationToken).ToListAsync();
        Assert.Contains(saved, e => e.Action == VodConsole.Core.Audit.AuditActions.CallbackTestSent);
        Assert.All(saved, e => Assert.DoesNotContain(key, (e.Before ?? "") + e.After));

        var readerEmail = await server.CreateUserAsync("hook-reader", isAdministrator: false);
        var reader = await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(readerEmail);
        await server.Get<UserAccessService>().SetAccessAsync(reader!.Id, false, new Dictionary<long, ApplicationAccess> { [app.Id] = ApplicationAccess.ReadOnly });
        await using var readerTab = await fixture.NewPageAsync(server);
        await readerTab.GotoAsync($"/apps/{app.Id}/callbacks");
        await readerTab.SignInAsync(readerEmail, ConsoleServer.UserPassword);
        var readerPage = readerTab.Page;

        await Expect(readerPage.GetByTestId("callback-key-hidden")).ToBeVisibleAsync();
        await Expect(readerPage.GetByTestId("callback-url")).ToHaveValueAsync(receiver.Url("/hook"));
        await Expect(readerPage.GetByTestId("callback-log-row")).ToHaveCountAsync(2);
        Assert.Contains("callbacks", await readerTab.NavSlugsAsync());
        foreach (var control in new[] { "callback-key", "callback-save", "callback-send-test", "callback-regenerate-key", "callback-log-replay" })
        {
            await Expect(readerPage.GetByTestId(control)).ToHaveCountAsync(0);
        }
        Assert.DoesNotContain(key, await readerPage.ContentAsync());
        await readerTab.ScreenshotAsync("app-callbacks-read-only");
    }

    [Fact]
    public async Task The_form_follows_the_mode_refuses_private_and_over_long_urls_and_reports_a_change_made_meanwhile()
    {
        // The shared console keeps the default policy: loopback is refused.
        var app = await fixture.Server.CreateSubApplicationAsync("Form");
        await using var tab = await OpenCallbacksAsync(await fixture.NewPageAsync(), app.Id);
        var page = tab.Page;
        var url = page.GetByTestId("callback-url");
        // The test ID sits on the checkbox's input, or around it: either way the input is what is checked and disabled.
        ILocator Event(CallbackEventType type) =>
            page.Locator($"input[data-testid='callback-type-{type}'], [data-testid='callback-type-{type}'] input");

        // Off: nothing to edit but the mode.
        await Expect(url).ToBeDisabledAsync();
        foreach (var type in CallbackSubscriptions.Choosable)
        {
            await Expect(Event(type)).ToBeDisabledAsync();
            await Expect(Event(type)).Not.ToBeCheckedAsync();
        }

        // Push with nothing chosen yet ticks every event.
        await page.GetByTestId("callback-mode-push").ClickAsync();
        await Expect(url).ToBeEnabledAsync();
        foreach (var type in CallbackSubscriptions.Choosable)
        {
            await Expect(Event(type)).ToBeEnabledAsync();
            await Expect(Event(type)).ToBeCheckedAsync();
        }

        // Too long: counted and refused, never cut.
        var tooLong = "https://example.com/" + new string('a', 2100);
        await url.FillAsync(tooLong);
        Assert.Equal(tooLong.Length, (await url.InputValueAsync()).Length);
        await Expect(page.GetByText($"{tooLong.Length} / {CallbackSettings.UrlMaxLength}")).ToBeVisibleAsync();
        await Expect(page.GetByText($"The callback URL is {tooLong.Length} characters long; at most {CallbackSettings.UrlMaxLength} are allowed.")).ToBeVisibleAsync();
        await page.GetByTestId("callback-save").ClickAsync();
        await Expect(page.GetByText($"The callback URL is not usable: a URL may have at most {CallbackSettings.UrlMaxLength} characters.")).ToBeVisibleAsync();

        // An address the policy always refuses is refused at Save, with the setting that would allow it.
        await url.FillAsync("http://127.0.0.1:9/hook");
        await page.GetByTestId("callback-save").ClickAsync();
        await Expect(page.GetByText("The callback URL is not usable: 127.0.0.1 is a loopback address", new() { Exact = false }))
            .ToContainTextAsync("list it in Network:AllowedPrivateNetworks");
        Assert.Equal(CallbackMode.Off, (await StoredAsync(app.Id)).Mode);

        await url.FillAsync("https://example.com/hook");
        await Event(CallbackEventType.MediaMoved).ClickAsync();
        await page.GetByTestId("callback-save").ClickAsync();
        await Expect(page.GetByText("Saved: events are delivered by Push.")).ToBeVisibleAsync();

        // Someone else switches to Pull in another tab; this tab's next save is refused and shows what is stored now.
        await using (var other = await OpenCallbacksAsync(await fixture.NewPageAsync(), app.Id))
        {
            await other.Page.GetByTestId("callback-mode-pull").ClickAsync();
            await Expect(other.Page.GetByTestId("callback-url")).ToBeDisabledAsync();
            await other.Page.GetByTestId("callback-save").ClickAsync();
            await Expect(other.Page.GetByText("Saved: events are delivered by Pull.")).ToBeVisibleAsync();
        }
        await Event(CallbackEventType.MediaDeleted).ClickAsync();
        await page.GetByTestId("callback-save").ClickAsync();
        var conflict = page.GetByTestId("edit-conflict");
        await Expect(conflict).ToContainTextAsync("Someone else saved these settings after you opened them");
        await Expect(conflict).ToContainTextAsync("delivery Pull, URL https://example.com/hook");
        await tab.ScreenshotAsync("app-callbacks-conflict");
        var stored = await StoredAsync(app.Id);
        Assert.Equal(CallbackMode.Pull, stored.Mode);
        Assert.Contains(CallbackEventType.MediaDeleted, CallbackSubscriptions.Parse(stored.EventTypes));
        await page.GetByTestId("load-current").ClickAsync();
        await Expect(conflict).ToHaveCountAsync(0);
        await Expect(url).ToBeDisabledAsync();
        await Expect(Event(CallbackEventType.MediaDeleted)).ToBeCheckedAsync();

        // Off keeps the URL and the events, greyed out, for when callbacks are turned on again.
        await page.GetByTestId("callback-mode-off").ClickAsync();
        await page.GetByTestId("callback-save").ClickAsync();
        await Expect(page.GetByText("Saved: callbacks are off.")).ToBeVisibleAsync();
        await Expect(url).ToBeDisabledAsync();
        await Expect(url).ToHaveValueAsync("https://example.com/hook");
        await Expect(Event(CallbackEventType.MediaDeleted)).ToBeDisabledAsync();
        await Expect(Event(CallbackEventType.MediaDeleted)).ToBeCheckedAsync();
        await Expect(Event(CallbackEventType.MediaMoved)).Not.ToBeCheckedAsync();
        stored = await StoredAsync(app.Id);
        Assert.Equal((CallbackMode.Off, "https://example.com/hook"), (stored.Mode, stored.Url));
        Assert.DoesNotContain(CallbackEventType.MediaMoved, CallbackSubscriptions.Parse(stored.EventTypes));
    }

    private static async Task<ConsolePage> OpenCallbacksAsync(ConsolePage tab, long appId)
    {
        await tab.GotoAsync($"/apps/{appId}/callbacks");
        await tab.SignInAsync();
        await Expect(tab.Page.GetByTestId("callback-save")).ToBeVisibleAsync();
        return tab;
    }

    /// <summary>The settings as stored, read past the page.</summary>
    private async Task<CallbackSettings> StoredAsync(long appId)
    {
        await using var db = await fixture.Server.Get<ApplicationData>().OpenForAsync(appId, TestContext.Current.CancellationToken);
        return await db.CallbackSettings.AsNoTracking().SingleOrDefaultAsync(TestContext.Current.CancellationToken)
            ?? new CallbackSettings { ApplicationId = appId, Mode = CallbackMode.Off };
    }
}
