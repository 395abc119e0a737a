using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Client;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Network;
using VodConsole.Core.Roles;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;
using VodConsole.Tests.Api;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Crash;

/// <summary>
/// One crash test's world: a data directory prepared through the console's own services (owner, the primary
/// application A and a sub-application B, an account API key), and the real console running on it as a process
/// (<see cref="ConsoleProcess"/>) that the test kills and starts again. The test process reads the same database to
/// check, after a restart, that nothing is lost and nothing is wrong (<see cref="AssertConsistentAsync"/>).
/// </summary>
public sealed class CrashScene : IAsyncDisposable
{
    /// <summary>Generous: on a loaded 2-core machine processing a 2-second clip has taken 10 s.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(45);

    private readonly TestConsole console;
    private readonly string ownerEmail;
    private readonly TestApiKey key;
    private readonly Dictionary<string, string> settings;

    private CrashScene(TestConsole console, string ownerEmail, long a, long b, TestApiKey key, Dictionary<string, string> settings)
    {
        this.console = console;
        this.ownerEmail = ownerEmail;
        this.key = key;
        this.settings = settings;
        A = a;
        B = b;
    }

    /// <summary>The primary application.</summary>
    public long A { get; }

    /// <summary>A sub-application, where moves go.</summary>
    public long B { get; }

    public ConsoleProcess Server { get; private set; } = null!;

    public string MediaRoot => console.MediaRoot;

    /// <summary>Prepares the data directory; <paramref name="extraSettings"/> are added to every start's configuration.</summary>
    public static async Task<CrashScene> CreateAsync(IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        // The console's own key ring, in the database (as the server keeps it), so what this process encrypts — the API
        // key's secret, the callback key — the server decrypts.
        var console = await TestConsole.StartAsync(services =>
        {
            services.AddDataProtection().SetApplicationName("VodConsole").PersistKeysToDbContext<VodDbContext>();
            services.Configure<NetworkOptions>(o => o.AllowPrivateTargets = true);
        });
        var ownerId = await console.EnableSubApplicationsAsync();
        string ownerEmail;
        await using (var db = await console.OpenDbAsync())
        {
            ownerEmail = (await db.Users.SingleAsync(u => u.Id == ownerId)).Email!;
        }
        var applications = console.Get<ApplicationService>();
        var a = (await applications.ListAsync()).Single(x => x.IsPrimary).Id;
        var b = (await applications.CreateSubApplicationAsync("Crash B", null)).Id;

        var scope = console.NewScope();
        var catalog = await scope.GetRequiredService<RoleResolver>().LoadCatalogAsync(ownerId);
        scope.GetRequiredService<RoleContext>().Enter(catalog!, ConsoleRole.Admin);
        var created = await scope.GetRequiredService<ApiKeyService>().CreateAsync("Crash tests", ApplicationAccess.Full);
        var key = new TestApiKey(created.Key.Id, created.Key.KeyId, created.Secret);

        var settings = new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = Path.GetDirectoryName(console.DatabasePath)!,
            ["Seed:DemoData"] = "false",
            ["Network:AllowPrivateTargets"] = "true",
            ["Callbacks:PollInterval"] = "00:00:00.200",
        };
        foreach (var (name, value) in console.Database.HostSettings.Concat(extraSettings ?? new Dictionary<string, string>()))
        {
            settings[name] = value;
        }
        return new CrashScene(console, ownerEmail, a, b, key, settings);
    }

    /// <summary>Turns push callbacks of application A on, to the receiver, for these event types (before the console starts).</summary>
    public Task PushCallbacksAsync(string url, params CallbackEventType[] types) =>
        console.ConfigureCallbacksAsync(A, CallbackMode.Push, url, types);

    /// <summary>Starts the console; <paramref name="crashAt"/> names the <c>CrashPoints</c> point where it kills itself.</summary>
    public async Task StartAsync(string? crashAt = null)
    {
        var run = new Dictionary<string, string>(settings);
        if (crashAt is not null)
        {
            run["Testing:CrashAt"] = crashAt;
        }
        Server = await ConsoleProcess.StartAsync(run);
    }

    /// <summary>SIGKILL, then a normal start on the same data, as after a power cut.</summary>
    public async Task KillAndRestartAsync()
    {
        await Server.KillAsync();
        await StartAsync();
    }

    /// <summary>A client that signs every request with the account key.</summary>
    public HttpClient Api() =>
        new(new VodApiSigningHandler(new VodApiSigner(key.KeyId, key.Secret)) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(Server.BaseUrl),
        };

    /// <summary>Signs a request whose body streams (its SHA-256 given, as a client with a large file does).</summary>
    public Task SignAsync(HttpRequestMessage request, byte[] body) =>
        new VodApiSigner(key.KeyId, key.Secret).SignAsync(request, VodApiSignature.Sha256Hex(body));

    /// <summary>Starts an API upload and returns its ID.</summary>
    public async Task<string> StartUploadAsync(HttpClient api, long app, string fileName = "clip.mp4")
    {
        using var response = await api.PostAsync($"/api/v1/uploads?SubAppId={app}", ApiResponses.Json(new { FileName = fileName }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("UploadId").GetString()!;
    }

    /// <summary>An API upload in three calls; returns the media ID.</summary>
    public async Task<long> UploadAsync(HttpClient api, long app, byte[] file)
    {
        var uploadId = await StartUploadAsync(api, app);
        await SendAsync(api, app, uploadId, file);
        return await CommitAsync(api, app, uploadId);
    }

    public static async Task SendAsync(HttpClient api, long app, string uploadId, byte[] file)
    {
        using var response = await api.PutAsync($"/api/v1/uploads/{uploadId}?SubAppId={app}", new ByteArrayContent(file));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task<long> CommitAsync(HttpClient api, long app, string uploadId)
    {
        using var response = await api.PostAsync($"/api/v1/uploads/{uploadId}/commit?SubAppId={app}", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("MediaId").GetInt64();
    }

    /// <summary>A client signed in to the console as the owner, with the antiforgery token the upload page carries.</summary>
    public async Task<(HttpClient Client, string Token)> SignInAsync(long app)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(Server.BaseUrl),
        };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = await TokenAsync(http, "/Account/Login"),
            ["Input.Email"] = ownerEmail,
            ["Input.Password"] = TestConsole.OwnerPassword,
        });
        using var signIn = await http.PostAsync("/Account/Login", form);
        Assert.True(signIn.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"sign-in answered {signIn.StatusCode}");
        return (http, await TokenAsync(http, $"/apps/{app}/upload"));
    }

    private static async Task<string> TokenAsync(HttpClient http, string path)
    {
        var html = await http.GetStringAsync(path);
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(match.Success, $"no antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Waits until the data directory holds an unfinished write: the server is in the middle of storing a file.</summary>
    public Task WaitForPartialFileAsync() =>
        WaitForAsync(() => Task.FromResult(PartialFiles().Count > 0), "an unfinished (.partial) file to appear");

    public IReadOnlyList<string> PartialFiles() =>
        Directory.Exists(MediaRoot)
            ? Directory.EnumerateFiles(MediaRoot, "*" + LocalMediaStorage.TempSuffix, SearchOption.AllDirectories).ToList()
            : [];

    public async Task<VodDbContext> OpenDbAsync() => await console.OpenDbAsync();

    /// <summary>Polls a condition (never a fixed sleep); fails with the server's log if it does not hold in time.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (timeout ?? SettleTimeout))
            {
                Assert.Fail($"Timed out waiting for {what}. Server log:\n{Server.Log}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// What must hold after any crash and restart, once the server has finished what was queued: no unfinished file;
    /// every media row (and API upload not yet committed) with its file, and every transcoding job's committed output
    /// tree; every file with its row; the storage figures equal to the rows and output trees; every media item processed
    /// or failed with a reason, every pull and transcoding job done or failed with a reason, no API upload stuck in the
    /// middle of its commit.
    /// </summary>
    public async Task AssertConsistentAsync()
    {
        await WaitForAsync(async () =>
        {
            await using var db = await OpenDbAsync();
            return !await db.Media.IgnoreQueryFilters().AnyAsync(m => m.Status == MediaStatus.Processing || m.Status == MediaStatus.Uploading)
                && !await db.MediaPulls.IgnoreQueryFilters().AnyAsync(p => p.State == MediaPullState.Queued || p.State == MediaPullState.Downloading)
                && !await db.TranscodeJobs.IgnoreQueryFilters().AnyAsync(j => j.State == TranscodeJobState.Queued || j.State == TranscodeJobState.Running);
        }, "processing, pulls and transcoding jobs to finish");

        Assert.Empty(PartialFiles());
        await using var db = await OpenDbAsync();
        var media = await db.Media.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        var uploads = await db.ApiUploads.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        var referenced = media.SelectMany(m => new[] { m.StorageKey, m.CoverKey })
            .Concat(uploads.Where(u => u.State != ApiUploadState.Committed).Select(u => u.StorageKey))
            .OfType<string>()
            .Select(k => Path.Combine(MediaRoot, k.Replace('/', Path.DirectorySeparatorChar)))
            .ToHashSet();
        var jobs = await db.TranscodeJobs.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        var trees = jobs.Select(j => j.OutputKey).OfType<string>()
            .Select(k => Path.Combine(MediaRoot, k.Replace('/', Path.DirectorySeparatorChar)) + Path.DirectorySeparatorChar)
            .ToList();
        var files = Directory.Exists(MediaRoot) ? Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).ToHashSet() : [];
        Assert.Empty(referenced.Where(k => !files.Contains(k)).Select(k => "a row without its file: " + k));
        Assert.Empty(trees.Where(t => !Directory.Exists(t)).Select(t => "a job without its output tree: " + t));
        Assert.Empty(files.Where(f => !referenced.Contains(f) && !trees.Any(t => f.StartsWith(t, StringComparison.Ordinal)))
            .Select(f => "a file without its row: " + f));

        foreach (var app in new[] { A, B })
        {
            var rows = media.Where(m => m.ApplicationId == app).ToList();
            var outputs = jobs.Where(j => j.ApplicationId == app).Sum(j => j.OutputBytes);
            Assert.Equal(rows.Sum(m => m.SizeBytes) + outputs, await LevelAsync(db, app, UsageMetric.StorageBytes));
            Assert.Equal(rows.Count, await LevelAsync(db, app, UsageMetric.MediaCount));
        }
        Assert.All(media.Where(m => m.Status == MediaStatus.Failed), m => Assert.False(string.IsNullOrWhiteSpace(m.FailureReason)));
        var pulls = await db.MediaPulls.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        Assert.All(pulls.Where(p => p.State == MediaPullState.Failed), p => Assert.False(string.IsNullOrWhiteSpace(p.FailureReason)));
        Assert.DoesNotContain(uploads, u => u.State == ApiUploadState.Committing);
        Assert.All(jobs.Where(j => j.State == TranscodeJobState.Failed), j => Assert.False(string.IsNullOrWhiteSpace(j.FailureReason)));
    }

    /// <summary>The storage level the overview, statistics and settlement read: the latest roll-up up to today.</summary>
    private static async Task<long> LevelAsync(VodDbContext db, long app, UsageMetric metric) =>
        await db.DailyUsage.Where(u => u.ApplicationId == app && u.Metric == metric)
            .OrderByDescending(u => u.Day).Select(u => (long?)u.Value).FirstOrDefaultAsync() ?? 0;

    public async Task<List<MediaItem>> MediaAsync()
    {
        await using var db = await OpenDbAsync();
        return await db.Media.IgnoreQueryFilters().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        await console.DisposeAsync();
    }
}

/// <summary>A request body that sends its first bytes and then nothing more, as a slow client does, until the server dies.</summary>
public sealed class StallingContent(byte[] head, long announcedLength) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        await stream.WriteAsync(head, ct);
        await stream.FlushAsync(ct);
        await Task.Delay(Timeout.Infinite, ct);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = announcedLength;
        return true;
    }

    public static StallingContent Of(byte[] file, MediaTypeHeaderValue? type = null)
    {
        var content = new StallingContent(file[..(file.Length / 2)], file.Length);
        content.Headers.ContentType = type ?? new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
