using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace VodConsole.Bench;

/// <summary>
/// Uploading a 1 GiB file raises the server's memory by less than 64 MB (issue #4 item 8). The real console runs as a
/// child process (Release build, Production environment, its own temporary data directory); the bench signs in as the
/// owner, takes the antiforgery token from a rendered page, and posts a generated 1 GiB body (an MP4 "ftyp" header,
/// then zeros: never held in memory) to <c>POST /apps/{appId}/media/upload</c>, as the upload page does. The server's
/// resident memory (VmRSS) is read from /proc every 50 ms, and its peak (VmHWM, reset before the upload) at the end.
/// </summary>
internal static class UploadBench
{
    private const long UploadBytes = 1L << 30; // 1 GiB
    internal const string Email = "owner@bench.test";
    internal const string Password = "Bench-Passw0rd!";

    public static async Task RunAsync()
    {
        var web = ReleaseBuild();
        var data = Directory.CreateTempSubdirectory("vodconsole-bench-upload-");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var log = new System.Text.StringBuilder();
        using var server = StartConsole(web, data.FullName, baseUrl, log,
            new Dictionary<string, string> { ["Media__MaxUploadBytes"] = (2 * UploadBytes).ToString() });
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                CookieContainer = new CookieContainer(),
                AllowAutoRedirect = false,
            })
            { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10) };

            await WaitForAsync(http, server, log);
            await SignInAsync(http);
            var appId = await PrimaryApplicationAsync(Path.Combine(data.FullName, "vodconsole.db"));
            var token = await TokenAsync(http, $"/apps/{appId}/upload");
            Console.WriteLine($"Console started (pid {server.Id}), signed in, uploading to application {appId}");

            // Warm-up: the whole path once with a small file (JIT, pools, the first database writes).
            await UploadAsync(http, appId, token, new GeneratedMp4Stream(20_000_000), 20_000_000, "warm-up.mp4");
            await Task.Delay(3000);

            ResetPeak(server.Id);
            var baseline = Status(server.Id, "VmRSS");
            var samples = new List<long>();
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    samples.Add(Status(server.Id, "VmRSS"));
                    await Task.Delay(50);
                }
            });
            var watch = Stopwatch.StartNew();
            var status = await UploadAsync(http, appId, token, new GeneratedMp4Stream(UploadBytes), UploadBytes, "one-gibibyte.mp4");
            var elapsed = watch.Elapsed;
            await stop.CancelAsync();
            await sampler;
            var peakSampled = samples.Max();
            var hwm = Status(server.Id, "VmHWM");
            var peak = Math.Max(peakSampled, hwm);
            Console.WriteLine($"Upload of {UploadBytes:N0} bytes answered {status} in {elapsed.TotalSeconds:0.0} s "
                + $"({UploadBytes / elapsed.TotalSeconds / 1e6:0} MB/s), {samples.Count} samples");
            Console.WriteLine($"Server resident memory: baseline {Mb(baseline)}, peak {Mb(peak)} (VmHWM {Mb(hwm)}, "
                + $"highest sample {Mb(peakSampled)}), rise {Mb(peak - baseline)}; after the upload {Mb(samples[^1])}");
            var stored = Directory.EnumerateFiles(Path.Combine(data.FullName, "media"), "*", SearchOption.AllDirectories)
                .Max(f => new FileInfo(f).Length);
            Console.WriteLine($"Largest stored file: {stored:N0} bytes");
        }
        catch
        {
            lock (log) Console.Error.WriteLine(log);
            throw;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    /// <summary>The Release build of the console (built with <c>dotnet build src/VodConsole.Web -c Release</c>).</summary>
    internal static string ReleaseBuild()
    {
        var web = Path.Combine(MediaBench.RepositoryRoot(), "src", "VodConsole.Web", "bin", "Release", "net10.0");
        return File.Exists(Path.Combine(web, "VodConsole.Web.dll"))
            ? web
            : throw new InvalidOperationException($"Build the console first: dotnet build src/VodConsole.Web -c Release ({web})");
    }

    /// <summary>
    /// Starts the console as a child process: Production environment, its own data directory, the bench's owner as the
    /// bootstrap administrator, no demo data; <paramref name="settings"/> are more environment variables. Its output goes to <paramref name="log"/>.
    /// </summary>
    internal static Process StartConsole(string web, string dataDirectory, string baseUrl, System.Text.StringBuilder log,
        IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "VodConsole.Web.dll")])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Seed__DemoData"] = "false";
        start.Environment["Bootstrap__AdminEmail"] = Email;
        start.Environment["Bootstrap__AdminPassword"] = Password;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    private static string Mb(long bytes) => $"{bytes / 1_048_576.0:0.0} MiB";

    /// <summary>Posts a file's bytes to the console's upload endpoint, as the upload page does.</summary>
    internal static async Task<HttpStatusCode> UploadAsync(HttpClient http, long appId, string token, Stream body, long bytes, string name)
    {
        using var content = new StreamContent(body, 81920);
        content.Headers.ContentLength = bytes;
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/apps/{appId}/media/upload") { Content = content };
        request.Headers.Add("X-File-Name", Uri.EscapeDataString(name));
        request.Headers.Add("RequestVerificationToken", token);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return response.StatusCode;
    }

    internal static async Task WaitForAsync(HttpClient http, Process server, System.Text.StringBuilder log)
    {
        for (var i = 0; i < 300; i++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"The console exited: {log}");
            }
            try
            {
                using var response = await http.GetAsync("/Account/Login");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The console did not start within 60 s.");
    }

    internal static async Task SignInAsync(HttpClient http)
    {
        var token = await TokenAsync(http, "/Account/Login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
        });
        using var response = await http.PostAsync("/Account/Login", form);
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
        }
    }

    internal static async Task<string> TokenAsync(HttpClient http, string path)
    {
        var html = await http.GetStringAsync(path);
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        if (!match.Success)
        {
            match = Regex.Match(html, "value=\"([^\"]+)\"[^>]*name=\"__RequestVerificationToken\"");
        }
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {path}");
    }

    internal static async Task<long> PrimaryApplicationAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Applications ORDER BY CreatedAt LIMIT 1";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A field of /proc/{pid}/status in bytes (VmRSS: resident now; VmHWM: resident peak).</summary>
    internal static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
            }
        }
        throw new InvalidOperationException($"{field} not in /proc/{pid}/status");
    }

    /// <summary>Writing 5 to clear_refs resets the process's VmHWM to its current resident size.</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An MP4 "ftyp" box followed by zeros, produced as it is read: the client holds no more than a buffer.</summary>
    internal sealed class GeneratedMp4Stream(long length) : Stream
    {
        private static readonly byte[] Header =
            [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m',
             0, 0, 2, 0, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'i', (byte)'s', (byte)'o', (byte)'2'];

        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - position);
            buffer = buffer[..count];
            buffer.Clear();
            if (position < Header.Length)
            {
                var head = Header.AsSpan((int)position, (int)Math.Min(Header.Length - position, count));
                head.CopyTo(buffer);
            }
            position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => new(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
