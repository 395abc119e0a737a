using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using VodConsole.Core.Media;
using VodConsole.Core.Setup;

namespace VodConsole.Tests;

/// <summary>
/// The local S3-compatible server (s3rver) the tests run S3 storage against: the one ./test.sh started
/// (<c>VODCONSOLE_TEST_S3</c>, <c>VODCONSOLE_TEST_S3_BUCKET</c>), or, for a targeted <c>dotnet test</c>, one this process
/// starts through <c>scripts/test-services.sh</c> and stops when it exits. Tests never skip for want of it. Each storage
/// gets a folder (prefix) of its own in the shared bucket, so tests share nothing.
/// </summary>
public sealed class S3TestServer
{
    /// <summary>The credentials s3rver checks signatures with.</summary>
    private const string Credential = "S3RVER";

    private static readonly Lazy<Task<S3TestServer>> Shared = new(StartAsync);

    private S3TestServer(string serviceUrl, string bucket)
    {
        ServiceUrl = serviceUrl;
        Bucket = bucket;
    }

    public string ServiceUrl { get; }
    public string Bucket { get; }

    public static Task<S3TestServer> GetAsync() => Shared.Value;

    /// <summary>Options for a storage in its own folder of the bucket.</summary>
    public S3StorageOptions Options(string prefix) => new()
    {
        ServiceUrl = ServiceUrl, Bucket = Bucket, AccessKey = Credential, SecretKey = Credential, ForcePathStyle = true, Prefix = prefix,
    };

    /// <summary>The same settings as configuration (<c>Storage:*</c>), for a real server.</summary>
    public Dictionary<string, string> Settings(string prefix) => new()
    {
        ["Storage:Provider"] = "S3", ["Storage:S3:ServiceUrl"] = ServiceUrl, ["Storage:S3:Bucket"] = Bucket,
        ["Storage:S3:AccessKey"] = Credential, ["Storage:S3:SecretKey"] = Credential, ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:Prefix"] = prefix,
    };

    public S3MediaStorage Storage(string prefix, string copyDirectory, TimeProvider? clock = null) =>
        new(Options(prefix), copyDirectory, clock ?? TimeProvider.System);

    /// <summary>A client of its own, to look at the bucket behind the storage's back.</summary>
    public IAmazonS3 Client() => new AmazonS3Client(new BasicAWSCredentials(Credential, Credential), new AmazonS3Config
    {
        ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private static async Task<S3TestServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("VODCONSOLE_TEST_S3") is { Length: > 0 } url)
        {
            return new S3TestServer(url, Environment.GetEnvironmentVariable("VODCONSOLE_TEST_S3_BUCKET") is { Length: > 0 } b ? b : "media");
        }
        var script = Path.Combine(RepositoryRoot(), "scripts", "test-services.sh");
        var directory = Directory.CreateTempSubdirectory("vodconsole-s3-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunAsync(script, "stop", directory).GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        var exports = (await RunAsync(script, "start", directory, "s3"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Replace("export ", "").Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''));
        return new S3TestServer(exports["VODCONSOLE_TEST_S3"], exports["VODCONSOLE_TEST_S3_BUCKET"]);
    }

    private static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed: {await errors}");
        }
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "scripts", "test-services.sh")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("scripts/test-services.sh not found above " + AppContext.BaseDirectory);
    }
}
