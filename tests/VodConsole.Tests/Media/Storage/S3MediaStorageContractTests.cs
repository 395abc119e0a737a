using Amazon.S3;
using Amazon.S3.Model;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media.Storage;

/// <summary>
/// The storage contract on the local S3-compatible server (<see cref="S3TestServer"/>), each test in a folder of its own
/// of the bucket, and what only object storage does: sweeping what dead instances left, by age.
/// </summary>
public sealed class S3MediaStorageContractTests : MediaStorageContract
{
    private readonly string prefix = $"contract-{Guid.NewGuid():N}/";
    private S3TestServer server = null!;
    private IAmazonS3 client = null!;

    protected override async Task<IMediaStorage> CreateAsync(string workDirectory, TimeProvider clock)
    {
        server = await S3TestServer.GetAsync();
        client = server.Client();
        return server.Storage(prefix, Path.Combine(workDirectory, "copies"), clock);
    }

    protected override async Task<int> UnfinishedWritesAsync() =>
        (await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = server.Bucket, Prefix = prefix })).MultipartUploads?.Count ?? 0;

    [Fact]
    public async Task An_upload_another_instance_left_unfinished_is_aborted_only_once_it_is_older_than_the_age()
    {
        var name = prefix + "7/" + Guid.NewGuid().ToString("N");
        await client.InitiateMultipartUploadAsync(server.Bucket, name);

        Assert.Equal(0, Storage.RemoveAbandonedWrites()); // young: may be another instance's upload in progress
        Assert.Equal(1, await UnfinishedWritesAsync());
        Clock.Now += TimeSpan.FromHours(25);

        Assert.Equal(1, Storage.RemoveAbandonedWrites());
        Assert.Equal(0, await UnfinishedWritesAsync());
        Assert.Empty(Storage.ListKeys(7));
    }

    [Fact]
    public async Task A_tree_a_dead_instance_left_half_written_is_never_listed_and_removed_once_old()
    {
        var key = "7/" + Guid.NewGuid().ToString("N");
        await PutAsync(prefix + ".pending/" + key); // its journal entry: written before the first file
        await PutAsync(prefix + key + "/master.m3u8"); // then it died: no marker

        Assert.Empty(Storage.ListKeys(7));
        Assert.Equal(0, Storage.RemoveAbandonedWrites());
        Assert.Equal(2, await CountAsync(prefix));
        Clock.Now += TimeSpan.FromHours(25);

        Assert.Equal(1, Storage.RemoveAbandonedWrites());
        Assert.Equal(0, await CountAsync(prefix));
    }

    [Fact]
    public async Task A_local_copy_is_a_download_removed_when_disposed_and_a_crash_left_copy_is_swept()
    {
        var key = await Storage.SaveAsync(7, new MemoryStream([1, 2, 3]));
        var copies = Path.Combine(WorkDirectory, "copies");
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(copies).FullName, "left-by-a-crash"), [0]);

        string path;
        using (var copy = (await Storage.LocalCopyAsync(key))!)
        {
            path = copy.Path;
            Assert.StartsWith(copies, path);
            Assert.Equal(1, Storage.RemoveAbandonedWrites()); // the leftover, not the copy in use
            Assert.True(File.Exists(path));
        }

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(copies));
    }

    [Fact]
    public async Task Every_object_carries_the_storage_prefix_and_a_delete_leaves_the_bucket_folder_empty()
    {
        var file = await Storage.SaveAsync(7, new MemoryStream(new byte[LargeSize]));
        var tree = await Storage.SaveTreeAsync(7, await TreeAsync([1]));
        Assert.Equal(5, await CountAsync(prefix)); // the file, the tree's marker and its three files: no journal left

        Storage.Delete(Storage.MoveTo(file, 8));
        Storage.Delete(Storage.MoveTo(tree, 8));

        Assert.Equal(0, await CountAsync(prefix));
    }

    private Task PutAsync(string name) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = server.Bucket, Key = name, ContentBody = "x", UseChunkEncoding = false });

    private async Task<int> CountAsync(string folder) =>
        (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = server.Bucket, Prefix = folder })).S3Objects?.Count ?? 0;
}
