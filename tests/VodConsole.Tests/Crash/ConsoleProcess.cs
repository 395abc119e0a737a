using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VodConsole.Tests.Crash;

/// <summary>
/// The real console as a process of its own: the built <c>VodConsole.Web.dll</c> started with <c>dotnet</c> on a data
/// directory and a free loopback port, so a test can kill it with SIGKILL — no finally block, no graceful stop, as a
/// power cut — and start it again on the same data.
/// </summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly StringBuilder log = new();

    private ConsoleProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The server's process ID: instance IDs in leases name it.</summary>
    public int ProcessId => process.Id;

    /// <summary>What the process wrote (warnings and errors), for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the console with these settings (configuration keys as in appsettings.json) and waits until it answers; on
    /// <paramref name="baseUrl"/> when given (a restart where a proxy expects it), else on a free loopback port.
    /// </summary>
    public static async Task<ConsoleProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string? baseUrl = null)
    {
        baseUrl ??= $"http://127.0.0.1:{FreePort()}";
        var start = StartInfo(settings, []);
        start.Environment["ASPNETCORE_URLS"] = baseUrl;

        var console = new ConsoleProcess(Process.Start(start)!, baseUrl);
        console.process.OutputDataReceived += (_, e) => console.Append(e.Data);
        console.process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        console.process.BeginOutputReadLine();
        console.process.BeginErrorReadLine();
        await console.WaitUntilAnsweringAsync();
        return console;
    }

    /// <summary>Runs a server command (<c>migrate</c>, ...) with these settings to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> settings, params string[] command)
    {
        using var process = Process.Start(StartInfo(settings, command))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string[] arguments)
    {
        var binaries = AppContext.BaseDirectory; // the test project references the web project: its build is here
        var start = new ProcessStartInfo("dotnet", [Path.Combine(binaries, "VodConsole.Web.dll"), .. arguments])
        {
            WorkingDirectory = binaries,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return start;
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(); // SIGKILL on Linux: the process gets no chance to clean up
        }
        await process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end by itself (a crash point killed it).</summary>
    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The console exited with {process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                // The API answers an unsigned request at once (401), without rendering a page: the server is up.
                using var response = await http.GetAsync("/api/v1/applications");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The console did not answer within {StartTimeout.TotalSeconds} s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }
}
