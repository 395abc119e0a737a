using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace VodConsole.Bench;

/// <summary>
/// The managed heap of another .NET process after a full, blocking GC, read over the runtime's diagnostics port
/// (EventPipe), as dotnet-gcdump does: enabling the runtime provider with the GCHeapCollect keyword makes the process
/// run an induced gen-2 GC, whose GCHeapStats event gives the size of every generation. No endpoint in the console.
/// </summary>
internal static class HeapProbe
{
    public static async Task<long> AfterFullGcAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = false;
        long size = -1;
        source.Clr.GCStart += e => induced |= e.Reason == GCReason.Induced && e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (induced && size < 0)
            {
                size = e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4;
                session.Stop();
            }
        };
        var reading = Task.Run(source.Process);
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(60))) != reading)
        {
            session.Stop();
            throw new TimeoutException("No induced GC reported within 60 s.");
        }
        return size >= 0 ? size : throw new InvalidOperationException("The session ended without an induced GC's heap figures.");
    }
}
