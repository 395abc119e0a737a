using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VodConsole.CircuitDriver;

/// <summary>
/// One browser tab without a browser: a real Blazor Server circuit opened the way blazor.web.js opens it (.NET 10).
/// The page is prerendered over HTTP (the caller's cookies: sign in first), its server component markers
/// (<c>&lt;!--Blazor:{"type":"server",...}--&gt;</c>) and persisted state are read, the <c>/_blazor</c> hub is reached over
/// a WebSocket with MessagePack under Blazor's name for it ("blazorpack"), and the circuit is started with
/// <c>StartCircuit</c> then <c>UpdateRootComponents</c>. Every render batch is acknowledged (<c>OnRenderCompleted</c>),
/// every JS call from .NET answered with success and no value (a JS object reference where one is expected), so the
/// server never waits on this client. Interactions are those of a browser: a navigation (<c>OnLocationChanged</c>, what
/// blazor.web.js sends for a link click, also sent when the server navigates) and a click (the renderer's
/// <c>DispatchEventAsync</c> through <c>BeginInvokeDotNetFromJS</c>, with a handler ID read from the render batches).
/// </summary>
public sealed partial class BlazorCircuit : IAsyncDisposable
{
    private readonly HubConnection hub;
    private readonly Uri baseUri;
    private readonly Lock gate = new();
    private readonly List<(Func<RenderBatchView, bool> Match, TaskCompletionSource<RenderBatchView> Done)> batchWaiters = [];
    private readonly Dictionary<string, TaskCompletionSource<bool>> dotNetCalls = [];
    /// <summary>The latest elements with a click handler, newest last (a page's buttons; bounded: 5,000 tabs hold these).</summary>
    private readonly List<RenderedElement> clickable = [];
    private long rendererInteropId = -1;
    private long nextCallId;
    private long nextJsObjectId;
    private long renderBatches;
    private long renderBytes;

    private BlazorCircuit(HubConnection hub, Uri baseUri, Uri location)
    {
        this.hub = hub;
        this.baseUri = baseUri;
        Location = location;
    }

    public Uri Location { get; private set; }
    public long RenderBatches => Interlocked.Read(ref renderBatches);
    public long RenderBytes => Interlocked.Read(ref renderBytes);
    /// <summary>The first error the server reported (<c>JS.Error</c>) or the connection's end; null while all is well.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Prerenders <paramref name="path"/> with <paramref name="http"/> (whose handler uses <paramref name="cookies"/>),
    /// starts its circuit and waits for its first render batch (the interactive render of the page).
    /// </summary>
    public static async Task<BlazorCircuit> OpenAsync(HttpClient http, CookieContainer cookies, Uri baseUri, string path,
        TimeSpan timeout, CancellationToken ct = default)
    {
        var location = new Uri(baseUri, path);
        using var response = await http.GetAsync(location, ct);
        var html = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }
        // Markers of interactive server components (the end markers carry no descriptor).
        var markers = MarkerPattern().Matches(html).Select(m => JsonNode.Parse(m.Groups[1].Value)!)
            .Where(m => (string?)m["type"] == "server" && m["descriptor"] is not null).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server component (not signed in? a static page?)");
        }
        var state = StatePattern().Match(html) is { Success: true } found ? found.Groups[1].Value : "";

        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseUri, "_blazor"), HttpTransportType.WebSockets, o => o.Cookies = cookies);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var circuit = new BlazorCircuit(builder.Build(), baseUri, location);
        circuit.Listen();
        try
        {
            var firstRender = circuit.ExpectBatch(_ => true);
            await circuit.hub.StartAsync(ct);
            var secret = await circuit.hub.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), location.ToString(), "[]", state, ct);
            if (string.IsNullOrEmpty(secret))
            {
                throw new InvalidOperationException($"StartCircuit refused {path}: {circuit.Error}");
            }
            // As blazor.web.js does: add every prerendered root component, in document order, with the page's state.
            var operations = new JsonArray(markers.Select((marker, i) => (JsonNode)new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = i + 1,
                ["marker"] = marker.DeepClone(),
            }).ToArray());
            var update = new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString();
            await circuit.hub.SendAsync("UpdateRootComponents", update, state, ct);
            await circuit.WaitAsync(firstRender, timeout, $"the first render of {path}");
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A client-side navigation (a link click) to <paramref name="path"/>; returns the time until a render batch
    /// matching <paramref name="rendered"/> arrived.
    /// </summary>
    public async Task<TimeSpan> NavigateAsync(string path, Func<RenderBatchView, bool> rendered, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var done = ExpectBatch(rendered);
        Location = new Uri(baseUri, path);
        await hub.SendAsync("OnLocationChanged", Location.ToString(), null, true);
        await WaitAsync(done, timeout, $"a render after navigating to {path}");
        return watch.Elapsed;
    }

    /// <summary>The click handler of the newest rendered element matching <paramref name="element"/>, or 0.</summary>
    public ulong FindClickHandler(Func<RenderedElement, bool> element)
    {
        lock (gate)
        {
            return clickable.LastOrDefault(element)?.ClickHandlerId ?? 0;
        }
    }

    /// <summary>
    /// The click handler of the newest element matching <paramref name="element"/>, waiting for a render batch that
    /// brings one if none was seen yet (a page's root components render in batches of their own).
    /// </summary>
    public async Task<ulong> WaitForClickHandlerAsync(Func<RenderedElement, bool> element, TimeSpan timeout)
    {
        var rendered = ExpectBatch(batch => batch.Elements.Any(e => e.ClickHandlerId != 0 && element(e)));
        var seen = FindClickHandler(element);
        if (seen != 0)
        {
            return seen;
        }
        await WaitAsync(rendered, timeout, "a rendered element with a click handler");
        return FindClickHandler(element);
    }

    /// <summary>
    /// Clicks the element whose handler is <paramref name="handlerId"/>, as the browser's event delegation does; returns
    /// the time until the handler finished (the server answers the call when the handler's task completes) and a render
    /// batch matching <paramref name="rendered"/> arrived.
    /// </summary>
    public async Task<TimeSpan> ClickAsync(ulong handlerId, Func<RenderBatchView, bool> rendered, TimeSpan timeout)
    {
        var interop = Interlocked.Read(ref rendererInteropId);
        if (interop < 0)
        {
            throw new InvalidOperationException("The renderer's interop object was not attached yet.");
        }
        var watch = Stopwatch.StartNew();
        var callId = Interlocked.Increment(ref nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var handled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            dotNetCalls[callId] = handled;
        }
        var render = ExpectBatch(rendered);
        var args = JsonSerializer.Serialize(new object[]
        {
            new { eventHandlerId = handlerId, eventName = "click", eventFieldInfo = (object?)null },
            new { detail = 1, screenX = 0, screenY = 0, clientX = 0, clientY = 0, offsetX = 0, offsetY = 0, pageX = 0, pageY = 0,
                  movementX = 0, movementY = 0, button = 0, buttons = 0, ctrlKey = false, shiftKey = false, altKey = false,
                  metaKey = false, type = "click" },
        });
        await hub.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", interop, args);
        if (!await handled.Task.WaitAsync(timeout))
        {
            throw new InvalidOperationException($"The click handler {handlerId} failed: {Error}");
        }
        await WaitAsync(render, timeout, $"a render after clicking handler {handlerId}");
        return watch.Elapsed;
    }

    /// <summary>A task that completes with the next render batch matching <paramref name="match"/> (registered now, so none is missed).</summary>
    public Task<RenderBatchView> ExpectBatch(Func<RenderBatchView, bool> match)
    {
        var done = new TaskCompletionSource<RenderBatchView>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            batchWaiters.Add((match, done));
        }
        return done.Task;
    }

    public async ValueTask DisposeAsync() => await hub.DisposeAsync();

    private async Task WaitAsync(Task<RenderBatchView> batch, TimeSpan timeout, string what)
    {
        try
        {
            await batch.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what} within {timeout.TotalSeconds:0} s ({RenderBatches} batches so far; error: {Error ?? "none"})");
        }
    }

    private void Listen()
    {
        hub.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // .NET 10 sends (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType).
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
            args => OnBeginInvokeJSAsync((long)args[0]!, (string)args[1]!, (string?)args[2], (int)args[3]!));
        hub.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], args =>
        {
            TaskCompletionSource<bool>? call;
            lock (gate)
            {
                dotNetCalls.Remove((string)args[0]!, out call);
            }
            if (args[1] is false)
            {
                Error ??= $"a .NET call failed: {args[2]}";
            }
            call?.TrySetResult((bool)args[1]!);
            return Task.CompletedTask;
        });
        hub.On("JS.AttachComponent", [typeof(int), typeof(string)], _ => Task.CompletedTask);
        hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        hub.On("JS.EndLocationChanging", [typeof(int), typeof(bool)], _ => Task.CompletedTask);
        hub.On<string>("JS.Error", message =>
        {
            Error ??= message;
            FailWaiters(new InvalidOperationException($"The circuit failed: {message}"));
        });
        hub.Closed += exception =>
        {
            Error ??= "connection closed" + (exception is null ? "" : ": " + exception.Message);
            FailWaiters(new InvalidOperationException(Error));
            return Task.CompletedTask;
        };
    }

    private async Task OnRenderBatchAsync(long id, byte[] data)
    {
        Interlocked.Increment(ref renderBatches);
        Interlocked.Add(ref renderBytes, data.Length);
        var batch = RenderBatchView.Read(id, data);
        List<TaskCompletionSource<RenderBatchView>> matched = [];
        lock (gate)
        {
            foreach (var element in batch.Elements.Where(e => e.ClickHandlerId != 0))
            {
                clickable.Add(element);
            }
            if (clickable.Count > 200)
            {
                clickable.RemoveRange(0, clickable.Count - 200);
            }
            for (var i = batchWaiters.Count - 1; i >= 0; i--)
            {
                if (batchWaiters[i].Match(batch))
                {
                    matched.Add(batchWaiters[i].Done);
                    batchWaiters.RemoveAt(i);
                }
            }
        }
        // Acknowledged before the waiters go on, as the browser does once the batch is applied.
        await hub.SendAsync("OnRenderCompleted", id, null);
        foreach (var done in matched)
        {
            done.TrySetResult(batch);
        }
    }

    private async Task OnBeginInvokeJSAsync(long handle, string identifier, string? argsJson, int resultType)
    {
        switch (identifier)
        {
            case "Blazor._internal.attachWebRendererInterop":
                // Its arguments hold the renderer's .NET object that events are dispatched to.
                var id = JsonNode.Parse(argsJson ?? "[]")!.AsArray().OfType<JsonObject>().Select(a => a["__dotNetObject"]).FirstOrDefault(a => a is not null);
                if (id is not null)
                {
                    Interlocked.Exchange(ref rendererInteropId, (long)id);
                }
                break;
            case "Blazor._internal.navigationManager.navigateTo":
                // The server navigated (NavigationManager.NavigateTo): the browser would follow and report the new location.
                var target = JsonNode.Parse(argsJson ?? "[]")!.AsArray();
                if (target.Count > 0 && (string?)target[0] is { } uri && (target.ElementAtOrDefault(1) as JsonObject)?["forceLoad"]?.GetValue<bool>() != true)
                {
                    Location = new Uri(Location, uri);
                    _ = hub.SendAsync("OnLocationChanged", Location.ToString(), null, false);
                }
                break;
        }
        if (handle == 0)
        {
            return; // fire and forget
        }
        // JSCallResultType: 1 = a JS object reference, 2 = a stream reference, 3 = no result.
        var result = resultType == 1 ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref nextJsObjectId)}}}" : "null";
        await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,{result}]");
    }

    private void FailWaiters(Exception error)
    {
        lock (gate)
        {
            foreach (var (_, done) in batchWaiters)
            {
                done.TrySetException(error);
            }
            batchWaiters.Clear();
            foreach (var call in dotNetCalls.Values)
            {
                call.TrySetException(error);
            }
            dotNetCalls.Clear();
        }
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex StatePattern();

    /// <summary>Blazor's hub speaks SignalR's MessagePack protocol under the name "blazorpack".</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol inner = new();

        public string Name => "blazorpack";
        public int Version => inner.Version;
        public TransferFormat TransferFormat => TransferFormat.Binary;
        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);
        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    }
}
