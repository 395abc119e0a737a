using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VodConsole.Tests.Callbacks;

/// <summary>One request the receiver got: the headers that matter and the body exactly as sent.</summary>
public sealed record ReceivedCallback(string? EventId, string? Timestamp, string? Signature, string Body, string? IdempotencyKey, string? ReplayOf);

/// <summary>
/// A callback receiver on 127.0.0.1 (a real Kestrel server): records every POST to <c>/hook</c> and answers what the
/// test scripts for the n-th request (200 when nothing is scripted).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedCallback> received = new();
    private LocalHttpServer server = null!;
    private int count;

    /// <summary>Answers request n (1-based): a status code, or null to hang until the client gives up.</summary>
    public Func<int, int?> Answer { get; set; } = _ => 200;

    public string Url => server.Url("/hook");

    public IReadOnlyList<ReceivedCallback> Received => received.ToArray();

    public static async Task<CallbackReceiver> StartAsync()
    {
        var receiver = new CallbackReceiver();
        receiver.server = await LocalHttpServer.StartAsync(app => app.MapPost("/hook", receiver.HandleAsync));
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        received.Enqueue(new ReceivedCallback(
            http.Request.Headers["X-Vod-Event-Id"], http.Request.Headers["X-Vod-Timestamp"], http.Request.Headers["X-Vod-Signature"], body,
            http.Request.Headers["Idempotency-Key"], http.Request.Headers["X-Vod-Replay-Of"]));
        if (Answer(Interlocked.Increment(ref count)) is not { } status)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
            return;
        }
        http.Response.StatusCode = status;
        await http.Response.WriteAsync(status is >= 200 and < 300 ? "ok\r\nthanks" : $"receiver error {status}");
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
