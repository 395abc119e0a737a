using System.Net;
using Microsoft.EntityFrameworkCore;
using VodConsole.Client;
using VodConsole.Core.Api;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Api;

/// <summary>
/// A PUT that is streaming an upload's file holds it, on every server of the database: a second PUT and a commit are
/// refused with <c>FailedOperation.UploadInProgress</c> until it ends, and a PUT whose server died blocks the upload only
/// until its lease runs out.
/// </summary>
public sealed class ApiUploadLeaseTests
{
    private static readonly byte[] File = [.. TestFiles.Mp4Head, .. new byte[200_000]];

    [Fact]
    public async Task A_put_in_progress_on_one_server_refuses_a_second_put_and_a_commit_on_another()
    {
        await using var first = new ApiServer();
        await using var second = new ApiServer(sameDatabaseAs: first);
        var app = await first.CreateApplicationAsync("Lease");
        var key = await first.CreateKeyAsync(app.Id);
        var session = await (await first.Client(key).PostAsync($"/api/v1/uploads?SubAppId={app.Id}",
            ApiResponses.Json(new { FileName = "lease.mp4" }))).JsonAsync();
        var uploadUrl = session.GetProperty("UploadUrl").GetString()!;
        var commitUrl = session.GetProperty("CommitUrl").GetString()!;
        var uploadId = session.GetProperty("UploadId").GetString()!;

        var rest = new TaskCompletionSource();
        var streaming = SendAsync(first, key, uploadUrl, new GatedContent(File[..1000], File[1000..], rest.Task));
        await WaitForStateAsync(first, uploadId, ApiUploadState.Receiving);

        using var secondPut = await SendAsync(second, key, uploadUrl, new ByteArrayContent(File));
        using var earlyCommit = await second.Client(key).PostAsync(commitUrl, null);
        rest.SetResult();
        using var sent = await streaming;
        using var committed = await second.Client(key).PostAsync(commitUrl, null);

        Assert.Equal((HttpStatusCode.Conflict, ApiErrors.UploadInProgress), (secondPut.StatusCode, await secondPut.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.Conflict, ApiErrors.UploadInProgress), (earlyCommit.StatusCode, await earlyCommit.ErrorCodeAsync()));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(((long)File.Length, "Received"), ((await sent.JsonAsync()).GetProperty("SizeBytes").GetInt64(), (await sent.JsonAsync()).GetProperty("State").GetString()));
        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
    }

    [Fact]
    public async Task A_put_whose_server_died_blocks_the_upload_only_until_its_lease_runs_out()
    {
        await using var server = new ApiServer();
        var app = await server.CreateApplicationAsync("Crashed");
        var key = await server.CreateKeyAsync(app.Id);
        var http = server.Client(key);
        var session = await (await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "crash.mp4" }))).JsonAsync();
        var uploadId = session.GetProperty("UploadId").GetString()!;

        // What a PUT leaves behind when its server is killed mid-stream: its lease, no longer renewed.
        await SetLeaseAsync(server, uploadId, DateTime.UtcNow.AddSeconds(30));
        using var whileHeld = await SendAsync(server, key, session.GetProperty("UploadUrl").GetString()!, new ByteArrayContent(File));
        await SetLeaseAsync(server, uploadId, DateTime.UtcNow.AddSeconds(-1));
        using var commitAfter = await http.PostAsync(session.GetProperty("CommitUrl").GetString()!, null);
        using var retried = await SendAsync(server, key, session.GetProperty("UploadUrl").GetString()!, new ByteArrayContent(File));

        Assert.Equal(ApiErrors.UploadInProgress, await whileHeld.ErrorCodeAsync());
        Assert.Equal("FailedOperation.UploadNotReceived", await commitAfter.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task A_put_that_fails_leaves_the_upload_ready_for_another_put()
    {
        await using var server = new ApiServer();
        var app = await server.CreateApplicationAsync("Retry");
        var key = await server.CreateKeyAsync(app.Id);
        var session = await (await server.Client(key).PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "retry.mp4" }))).JsonAsync();
        var uploadUrl = session.GetProperty("UploadUrl").GetString()!;

        using var spoiled = await SendAsync(server, key, uploadUrl, new ByteArrayContent(File), VodApiSignature.Sha256Hex([.. File, 1]));
        using var retried = await SendAsync(server, key, uploadUrl, new ByteArrayContent(File));

        Assert.Equal(ApiErrors.ContentHashMismatch, await spoiled.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    /// <summary>A streamed PUT, signed with the file's hash as a client streaming a file signs it.</summary>
    private static async Task<HttpResponseMessage> SendAsync(ApiServer server, TestApiKey key, string uploadUrl, HttpContent content, string? sha256 = null)
    {
        using var http = server.PlainClient();
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(server.BaseUrl), uploadUrl)) { Content = content };
        await new VodApiSigner(key.KeyId, key.Secret).SignAsync(request, sha256 ?? VodApiSignature.Sha256Hex(File));
        return await http.SendAsync(request);
    }

    private static async Task WaitForStateAsync(ApiServer server, string uploadId, ApiUploadState state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await ReadAsync(server, uploadId)).State != state)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task<ApiUpload> ReadAsync(ApiServer server, string uploadId)
    {
        await using var db = await server.Get<ApplicationData>().OpenSystemWideAsync();
        return await db.ApiUploads.AsNoTracking().SingleAsync(u => u.Id == uploadId);
    }

    private static async Task SetLeaseAsync(ApiServer server, string uploadId, DateTime expiresAt)
    {
        await using var db = await server.Get<ApplicationData>().OpenSystemWideAsync();
        await db.ApiUploads.Where(u => u.Id == uploadId).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.State, ApiUploadState.Receiving)
            .SetProperty(u => u.ReceiveLeaseId, "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0")
            .SetProperty(u => u.ReceiveLeaseExpiresAt, expiresAt));
    }

    /// <summary>A body that sends its first part, then waits for the test before sending the rest.</summary>
    private sealed class GatedContent(byte[] head, byte[] tail, Task gate) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            await gate;
            await stream.WriteAsync(tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = head.Length + tail.Length;
            return true;
        }
    }
}
