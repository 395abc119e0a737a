using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Callbacks;

/// <summary>Push delivery to a real receiver on 127.0.0.1, through the real outbound client, worker and database.</summary>
public sealed class CallbackDeliveryTests : IAsyncLifetime
{
    private CallbackReceiver receiver = null!;

    public async ValueTask InitializeAsync() => receiver = await CallbackReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_pushed_event_carries_the_payload_and_a_signature_that_verifies_with_the_documented_scheme()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Push");
        var key = (await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url)).Key!;
        await using var worker = await console.StartWorkerAsync();

        var item = await console.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", new MemoryStream(Mp4()), 1_000_000);
        var delivered = Assert.Single(await console.WaitUntilFinishedAsync());

        Assert.Equal(CallbackEventState.Delivered, delivered.State);
        var request = Assert.Single(receiver.Received);
        // The scheme of docs/callbacks.md, computed here without the console's code: hex HMAC-SHA256(key, timestamp + "." + body).
        var expected = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{request.Timestamp}.{request.Body}")));
        Assert.Equal(expected, request.Signature);
        Assert.True(CallbackSignature.Verify(key, long.Parse(request.Timestamp!), request.Body, request.Signature));
        Assert.False(CallbackSignature.Verify("another-key", long.Parse(request.Timestamp!), request.Body, request.Signature));
        Assert.InRange(long.Parse(request.Timestamp!), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        using var payload = JsonDocument.Parse(request.Body);
        var root = payload.RootElement;
        Assert.Equal("UploadComplete", root.GetProperty("EventType").GetString());
        Assert.Equal(delivered.Id, root.GetProperty("EventId").GetInt64());
        Assert.Equal(delivered.Id.ToString(), request.EventId);
        Assert.Equal(app, root.GetProperty("SubAppId").GetInt64());
        Assert.EndsWith("Z", root.GetProperty("CreatedAt").GetString());
        Assert.Equal(item.Id, root.GetProperty("Data").GetProperty("MediaId").GetInt64());
        Assert.Equal("clip.mp4", root.GetProperty("Data").GetProperty("FileName").GetString());

        var attempt = Assert.Single(await console.AttemptsAsync(delivered.Id));
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal("ok thanks", attempt.ResponseExcerpt); // control characters become spaces
        Assert.Equal(200, delivered.LastStatusCode);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_then_succeeds_gets_exactly_three_attempts_each_recorded()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Flaky");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        receiver.Answer = n => n <= 2 ? 503 : 200;
        await using var worker = await console.StartWorkerAsync();

        await (await console.InAppAsync<CallbackLog>(app)).SendTestAsync();
        var delivered = Assert.Single(await console.WaitUntilFinishedAsync());

        Assert.Equal(CallbackEventState.Delivered, delivered.State);
        Assert.Equal(3, delivered.Attempts);
        Assert.Equal(3, receiver.Received.Count);
        var attempts = await console.AttemptsAsync(delivered.Id);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.Equal([503, 503, 200], attempts.Select(a => a.StatusCode));
        Assert.Equal("receiver error 503", attempts[0].ResponseExcerpt);
        Assert.All(attempts, a => Assert.InRange(a.LatencyMs, 0, 5000));
        // Each retry waited for its delay after the previous attempt.
        Assert.True(attempts[1].StartedAt >= attempts[0].StartedAt + CallbackTestConsole.FastRetries[0]);
    }

    [Fact]
    public async Task A_timeout_counts_as_a_failed_attempt_and_the_event_fails_when_the_attempts_run_out()
    {
        TimeSpan[] oneRetry = [TimeSpan.FromMilliseconds(50)];
        await using var console = await TestConsole.StartAsync(
            CallbackTestConsole.Services(timeout: TimeSpan.FromMilliseconds(400), retries: oneRetry));
        var app = await console.CreateApplicationAsync("Slow");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        receiver.Answer = _ => null; // never answers
        await using var worker = await console.StartWorkerAsync();

        await (await console.InAppAsync<CallbackLog>(app)).SendTestAsync();
        var failed = Assert.Single(await console.WaitUntilFinishedAsync());

        Assert.Equal(CallbackEventState.Failed, failed.State);
        var attempts = await console.AttemptsAsync(failed.Id);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Null(a.StatusCode);
            Assert.Equal("No answer within 0.4 seconds.", a.Error);
        });
    }

    [Fact]
    public async Task A_delivery_the_address_policy_refuses_fails_at_once_without_retries()
    {
        var keys = new EphemeralDataProtectionProvider();
        // Saved while private targets were allowed; the server then restarted with the default policy.
        var before = await TestConsole.StartAsync(CallbackTestConsole.Services(keys, allowPrivateTargets: true));
        var app = await before.CreateApplicationAsync("Guarded");
        await before.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        await using var console = await before.RestartAsync(CallbackTestConsole.Services(keys, allowPrivateTargets: false));
        await using var worker = await console.StartWorkerAsync();

        await (await console.InAppAsync<CallbackLog>(app)).SendTestAsync();
        var failed = Assert.Single(await console.WaitUntilFinishedAsync());

        Assert.Equal(CallbackEventState.Failed, failed.State);
        Assert.Equal(1, failed.Attempts);
        Assert.Empty(receiver.Received);
        var attempt = Assert.Single(await console.AttemptsAsync(failed.Id));
        Assert.StartsWith("The target address is not allowed: 127.0.0.1 is a loopback address", attempt.Error);
        Assert.Contains("Network:AllowedPrivateNetworks", attempt.Error);
        Assert.EndsWith("Not retried: correct the URL or the setting, then replay the event.", attempt.Error);
    }

    [Fact]
    public async Task A_push_whose_answer_was_lost_is_sent_again_with_the_same_event_id_and_idempotency_key()
    {
        // The receiver takes the first request but never answers (as if the console died mid-request): at-least-once.
        // Long enough for the answered attempts on a loaded machine (a timed-out one would be sent a third time).
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services(timeout: TimeSpan.FromSeconds(2)));
        var app = await console.CreateApplicationAsync("Twice");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        receiver.Answer = n => n == 1 ? null : 200;
        await using var worker = await console.StartWorkerAsync();
        var log = await console.InAppAsync<CallbackLog>(app);

        var sent = await log.SendTestAsync();
        await console.WaitUntilFinishedAsync();
        var replay = await log.ReplayAsync(sent.Id);
        await console.WaitUntilFinishedAsync(expectedEvents: 2);

        var received = receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received.Take(2), r => Assert.Equal((sent.Id.ToString(), sent.Id.ToString(), null), (r.EventId, r.IdempotencyKey, r.ReplayOf)));
        Assert.Equal(received[0].Body, received[1].Body); // the same event, byte for byte; only the timestamp and signature are new
        Assert.Equal((replay.Id.ToString(), replay.Id.ToString(), sent.Id.ToString()), (received[2].EventId, received[2].IdempotencyKey, received[2].ReplayOf));
    }

    [Fact]
    public async Task Events_saved_before_a_restart_are_delivered_after_it()
    {
        var keys = new EphemeralDataProtectionProvider();
        var first = await TestConsole.StartAsync(CallbackTestConsole.Services(keys));
        var app = await first.CreateApplicationAsync("Restart");
        await first.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        // No worker runs: the server "stops" with the events still waiting.
        var log = await first.InAppAsync<CallbackLog>(app);
        var sent = new[] { (await log.SendTestAsync()).Id, (await log.SendTestAsync()).Id };

        await using var second = await first.RestartAsync(CallbackTestConsole.Services(keys));
        await using var worker = await second.StartWorkerAsync();
        var events = await second.WaitUntilFinishedAsync(expectedEvents: 2);

        Assert.All(events, e => Assert.Equal(CallbackEventState.Delivered, e.State));
        Assert.Equal(sent.Select(id => id.ToString()).Order(), receiver.Received.Select(r => r.EventId).Order());
    }

    [Fact]
    public async Task Replay_queues_the_event_again_as_a_new_delivery_of_the_same_data()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Replay");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        receiver.Answer = _ => 500;
        await using var worker = await console.StartWorkerAsync();
        var log = await console.InAppAsync<CallbackLog>(app);
        var original = await log.SendTestAsync();
        await console.WaitUntilFinishedAsync();

        receiver.Answer = _ => 200;
        var replay = await log.ReplayAsync(original.Id);
        var events = await console.WaitUntilFinishedAsync(expectedEvents: 2);

        Assert.Equal(CallbackEventState.Failed, events[0].State);
        Assert.Equal(CallbackEventState.Delivered, events.Single(e => e.Id == replay.Id).State);
        Assert.Equal(original.Id, replay.ReplayOfId);
        Assert.Equal(original.Data, replay.Data);
        using var body = JsonDocument.Parse(receiver.Received[^1].Body);
        Assert.Equal(original.Id, body.RootElement.GetProperty("ReplayOf").GetInt64());
        Assert.Equal(replay.Id, body.RootElement.GetProperty("EventId").GetInt64());
    }

    [Fact]
    public async Task Two_workers_never_send_the_same_attempt()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Race");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Push, receiver.Url);
        var log = await console.InAppAsync<CallbackLog>(app);
        for (var i = 0; i < 10; i++)
        {
            await log.SendTestAsync();
        }

        await using (await console.StartWorkerAsync())
        await using (await console.StartWorkerAsync())
        {
            await console.WaitUntilFinishedAsync(expectedEvents: 10);
        }

        Assert.Equal(10, receiver.Received.Count);
        Assert.Equal(10, receiver.Received.Select(r => r.EventId).Distinct().Count());
    }

    private static byte[] Mp4()
    {
        var bytes = new byte[4096];
        Encoding.ASCII.GetBytes("\0\0\0\u0020ftypisom").CopyTo(bytes, 0);
        return bytes;
    }
}
