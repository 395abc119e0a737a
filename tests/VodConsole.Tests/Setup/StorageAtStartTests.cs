using System.Net;
using System.Net.Sockets;

namespace VodConsole.Tests.Setup;

/// <summary>The real server, started with a media storage it cannot reach, says so in one message and does not serve.</summary>
public sealed class StorageAtStartTests
{
    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task An_unreachable_s3_storage_stops_the_server_with_a_clear_message_instead_of_a_stack_trace()
    {
        await using var console = await TestConsole.StartAsync();
        var folder = Path.GetDirectoryName(console.MediaRoot)!;

        var (exit, _, errors) = await ResetPasswordCommandTests.RunAsync(console.Database, folder, "--urls=http://127.0.0.1:0",
            "--Storage:Provider=S3", $"--Storage:S3:ServiceUrl=http://127.0.0.1:{ClosedPort()}", "--Storage:S3:Bucket=media",
            "--Storage:S3:AccessKey=key", "--Storage:S3:SecretKey=secret", "--Storage:S3:ForcePathStyle=true");

        Assert.Equal(1, exit);
        Assert.StartsWith("The media storage does not work, so the console does not start: storing a probe file failed", errors.Trim());
        Assert.Contains("Check Storage:Provider and its settings", errors);
        Assert.DoesNotContain("Unhandled exception", errors);
        Assert.DoesNotContain("   at ", errors);
    }
}
