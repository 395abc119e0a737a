using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VodConsole.Core.Accounts;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Tests.Crash;

namespace VodConsole.E2E;

/// <summary>
/// A scaled-out installation (issue 14): a fresh database on the test PostgreSQL cluster and a fresh folder of the test
/// S3 bucket, migrated once with the <c>migrate</c> command, two console instances as processes of their own (each
/// with its own data directory: they share only the database and the bucket), and the YARP proxy in front of them.
/// The cluster and s3rver are ./test.sh's (<c>VODCONSOLE_TEST_POSTGRES</c>, <c>VODCONSOLE_TEST_S3</c>); run alone, the
/// fixture starts them with scripts/test-services.sh and stops them at the end.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    /// <summary>Short, so a killed instance's job is taken over within seconds (the default is a minute).</summary>
    public static readonly TimeSpan JobLease = TimeSpan.FromSeconds(4);

    private const string S3Credential = "S3RVER"; // what s3rver checks signatures with

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-e2e-scaleout-");
    private readonly Dictionary<string, ConsoleProcess> instances = [];
    private string? servicesStartedIn;
    private string maintenance = "";
    private string database = "";
    private ServiceProvider? data;

    public TestProxy Proxy { get; private set; } = null!;

    /// <summary>The instances by the name the proxy knows them by.</summary>
    public IReadOnlyDictionary<string, ConsoleProcess> Instances => instances;

    public string ConnectionString { get; private set; } = "";

    /// <summary>How long the installation took to start, for the test's report of its runtime.</summary>
    public TimeSpan StartTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        var services = await TestServicesAsync();
        maintenance = services["VODCONSOLE_TEST_POSTGRES"];
        database = $"vode2e_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{database}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(maintenance) { Database = database }.ToString();

        var (exit, output) = await ConsoleProcess.RunCommandAsync(Settings("migrate"), "migrate");
        Assert.True(exit == 0, $"migrate failed ({exit}): {output}");

        // One after the other, as a deployment starts them: the first creates the account and the owner.
        foreach (var name in new[] { "a", "b" })
        {
            instances[name] = await StartReadyAsync(name);
        }
        Proxy = await TestProxy.StartAsync(instances.ToDictionary(i => i.Key, i => i.Value.BaseUrl));

        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddVodConsoleCore(DatabaseOptions.Postgres(ConnectionString));
        data = collection.BuildServiceProvider();

        // Users & access is an administrator's page of an account with sub-applications, as in the other e2e tests.
        await using var scope = data.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByEmailAsync(ConsoleServer.OwnerEmail);
        await scope.ServiceProvider.GetRequiredService<AccountService>().EnableSubApplicationsAsync(owner!.Id);
        StartTime = started.Elapsed;
    }

    /// <summary>The console's data as its workers see it (every application), to check what the instances did.</summary>
    public async Task<VodDbContext> OpenDatabaseAsync()
    {
        await using var scope = data!.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationData>().OpenSystemWideAsync();
    }

    /// <summary>The instance whose process a lease names (instance IDs are machine-pid-random).</summary>
    public string InstanceOf(string leaseOwner) =>
        instances.Single(i => leaseOwner.Contains($"-{i.Value.ProcessId.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal)).Key;

    /// <summary>SIGKILL: the instance gets no chance to finish or give anything back.</summary>
    public Task KillAsync(string name) => instances[name].KillAsync();

    /// <summary>Starts a killed instance again at its address, as a supervisor would; the proxy finds it healthy by itself.</summary>
    public async Task RestartAsync(string name)
    {
        var old = instances[name];
        await old.DisposeAsync();
        instances[name] = await StartReadyAsync(name, old.BaseUrl);
    }

    /// <summary>
    /// Starts an instance and waits until its readiness says "Healthy": database and storage work, and its change feed
    /// listens, so a change made on the other instance from now on reaches its tabs (before, it would say "Degraded").
    /// </summary>
    private async Task<ConsoleProcess> StartReadyAsync(string name, string? baseUrl = null)
    {
        var instance = await ConsoleProcess.StartAsync(Settings(name), baseUrl);
        using var http = new HttpClient { BaseAddress = new Uri(instance.BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        var answer = "";
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await http.GetAsync("/health/ready");
            answer = await response.Content.ReadAsStringAsync();
            if (answer == "Healthy")
            {
                return instance;
            }
            await Task.Delay(100);
        }
        await instance.DisposeAsync();
        throw new TimeoutException($"Instance {name} was not ready within 60 s (its readiness: {answer}):\n{instance.Log}");
    }

    /// <summary>What every instance wrote (warnings and errors), for a failing test's message.</summary>
    public string Logs => string.Join("\n", instances.Select(i => $"--- instance {i.Key}:\n{i.Value.Log}"));

    private Dictionary<string, string> Settings(string instance) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Default"] = ConnectionString,
        ["Storage:DataDirectory"] = Directory.CreateDirectory(Path.Combine(work.FullName, instance)).FullName,
        ["Storage:Provider"] = "S3",
        ["Storage:S3:ServiceUrl"] = Services["VODCONSOLE_TEST_S3"],
        ["Storage:S3:Bucket"] = Services["VODCONSOLE_TEST_S3_BUCKET"],
        ["Storage:S3:AccessKey"] = S3Credential,
        ["Storage:S3:SecretKey"] = S3Credential,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:Prefix"] = database, // a folder of the bucket no other test uses
        ["Seed:DemoData"] = "false",
        ["Bootstrap:AdminEmail"] = ConsoleServer.OwnerEmail,
        ["Bootstrap:AdminPassword"] = ConsoleServer.OwnerPassword,
        ["Network:AllowPrivateTargets"] = "true", // pulls from the test's file server on 127.0.0.1
        ["Processing:JobLease"] = JobLease.ToString("c", CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations"] = "Error",
        // A build's output (not a publish) serves the static web assets (blazor.web.js, MudBlazor's) only in Development.
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
    };

    private Dictionary<string, string> Services { get; set; } = [];

    private static readonly string[] ServiceVariables = ["VODCONSOLE_TEST_POSTGRES", "VODCONSOLE_TEST_S3", "VODCONSOLE_TEST_S3_BUCKET"];

    /// <summary>The test services ./test.sh exported, or ones started here (never a silent skip).</summary>
    private async Task<Dictionary<string, string>> TestServicesAsync()
    {
        Services = ServiceVariables
            .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(v => !string.IsNullOrEmpty(v.value))
            .ToDictionary(v => v.name, v => v.value!);
        var missing = new List<string>();
        if (!Services.ContainsKey("VODCONSOLE_TEST_POSTGRES")) missing.Add("postgres");
        if (!Services.ContainsKey("VODCONSOLE_TEST_S3")) missing.Add("s3");
        if (missing.Count > 0)
        {
            // Not inside the work folder: that one is private to this user (0700), and PostgreSQL runs as its own user.
            servicesStartedIn = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vodconsole-e2e-services-{Guid.NewGuid():N}")).FullName;
            var (exit, output, errors) = await ServicesScriptAsync(["start", servicesStartedIn, .. missing]);
            if (exit != 0)
            {
                throw new InvalidOperationException(
                    $"The scale-out test needs PostgreSQL and an S3 server: scripts/test-services.sh could not start {string.Join(" and ", missing)} ({exit}): {errors}\n"
                    + "Run ./test.sh (it installs and starts them), or start them yourself with 'scripts/test-services.sh start DIR' and export what it prints.");
            }
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = line.Replace("export ", "", StringComparison.Ordinal).Split('=', 2);
                Services[pair[0]] = pair[1].Trim('\'');
            }
        }
        Services.TryAdd("VODCONSOLE_TEST_S3_BUCKET", "media");
        return Services;
    }

    private static async Task<(int Exit, string Output, string Errors)> ServicesScriptAsync(string[] arguments)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "scripts", "test-services.sh")))
        {
            root = root.Parent ?? throw new InvalidOperationException("scripts/test-services.sh is not above the test binaries.");
        }
        var start = new ProcessStartInfo("bash", [Path.Combine(root.FullName, "scripts", "test-services.sh"), .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        foreach (var instance in instances.Values)
        {
            await instance.DisposeAsync();
        }
        if (data is not null) await data.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (database.Length > 0)
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
        if (servicesStartedIn is not null)
        {
            await ServicesScriptAsync(["stop", servicesStartedIn]);
            Directory.Delete(servicesStartedIn, recursive: true);
        }
        work.Delete(recursive: true);
    }
}
