using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using VodConsole.Core.Setup;

namespace VodConsole.Core.Media;

/// <summary>
/// Media files in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...), shared by every console instance (decision 0016).
/// Object names are <c>{prefix}{key}</c> with the keys of <see cref="MediaStorageKeys"/>, so the application is the first
/// folder and a move is a copy into the other folder plus a delete.
/// <para>
/// A file is one object: a single PUT, or a multipart upload for anything above one part, which S3 makes visible only
/// when completed, so a reader never sees half a file. A tree (a transcoding output) is its files under <c>{key}/</c> and
/// a <em>marker</em> object at <c>{key}</c> itself, written last: <see cref="ListKeys"/> lists only markers, and nobody
/// can read a tree before <see cref="SaveTreeAsync"/> returned its key. Every operation on several objects of a tree
/// (write, move, delete) first writes a journal entry <c>{prefix}.pending/{key}</c> and removes it at the end; after a
/// crash, <see cref="RemoveAbandonedWrites"/> finds the entry and removes what was left.
/// </para>
/// <para>
/// The contract is synchronous except for writes (it began on local disk): reads of metadata, moves and deletes block a
/// pool thread for their few requests, run through <see cref="Task.Run(Func{Task})"/> so a caller's synchronization
/// context (a Blazor circuit) can never deadlock them.
/// </para>
/// </summary>
public sealed class S3MediaStorage : IMediaStorage, IDisposable
{
    /// <summary>8 MiB: above S3's 5 MiB minimum part, and the most a write holds in memory.</summary>
    internal const int PartSize = 8 * 1024 * 1024;

    /// <summary>CopyObject's limit; larger objects are streamed through a multipart upload instead.</summary>
    private const long MaxServerSideCopy = 5L * 1024 * 1024 * 1024;

    private const string TreeMetadata = "vodconsole-tree";
    private const string PendingFolder = ".pending/";

    private readonly IAmazonS3 client;
    private readonly string bucket;
    private readonly string prefix;
    private readonly string copies;
    private readonly TimeSpan abandonedAfter;
    private readonly TimeProvider clock;

    /// <summary>This process's multipart uploads and tree journal entries in progress: never swept, whatever their age.</summary>
    private readonly ConcurrentDictionary<string, byte> writing = new();

    /// <summary>This process's local copies in use (<see cref="LocalCopyAsync"/>).</summary>
    private readonly ConcurrentDictionary<string, byte> copying = new();

    /// <param name="copyDirectory">Where tools get their local copies: a folder of this instance's data directory.</param>
    public S3MediaStorage(S3StorageOptions options, string copyDirectory, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.ServiceUrl) || string.IsNullOrWhiteSpace(options.Bucket))
        {
            throw new InvalidOperationException("Storage:Provider is S3: set Storage:S3:ServiceUrl and Storage:S3:Bucket.");
        }
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums only where S3 requires them: many S3-compatible stores do not understand the trailing ones.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        bucket = options.Bucket;
        prefix = string.IsNullOrEmpty(options.Prefix) ? "" : options.Prefix.TrimEnd('/') + "/";
        copies = Path.GetFullPath(copyDirectory);
        abandonedAfter = options.AbandonedAfter;
        this.clock = clock;
    }

    public async Task<string> SaveAsync(long applicationId, Stream content, CancellationToken ct = default)
    {
        var key = MediaStorageKeys.New(applicationId);
        await WriteObjectAsync(ObjectOf(key), content, metadata: null, ct);
        return key;
    }

    public async Task<string> SaveTreeAsync(long applicationId, string sourceDirectory, CancellationToken ct = default)
    {
        var key = MediaStorageKeys.New(applicationId);
        await WithJournalAsync(key, async () =>
        {
            var files = Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories).ToList();
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (file, token) =>
            {
                var relative = Path.GetRelativePath(sourceDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                await using var from = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                await WriteObjectAsync(ObjectOf(key) + "/" + MediaStorageKeys.CheckedTreePath(relative), from, null, token);
            });
            await WriteMarkerAsync(key, ct); // last: the tree exists from here on
        }, undo: () => DeleteObjectsAsync(ObjectOf(key) + "/"));
        return key;
    }

    public Stream? OpenRead(string key) => Blocking(async () =>
        await HeadAsync(ObjectOf(key)) is { } head && !IsTree(head) ? new S3ReadStream(client, bucket, ObjectOf(key), head.ContentLength) : null);

    public Stream? OpenRead(string treeKey, string relativePath)
    {
        // The marker is not checked: a tree's key is known only once it is complete (see the class comment).
        var name = ObjectOf(treeKey) + "/" + MediaStorageKeys.CheckedTreePath(relativePath);
        return Blocking(async () => await HeadAsync(name) is { } head ? new S3ReadStream(client, bucket, name, head.ContentLength) : null);
    }

    public async Task<LocalCopy?> LocalCopyAsync(string key, CancellationToken ct = default)
    {
        var name = ObjectOf(key);
        if (await HeadAsync(name, ct) is not { } head || IsTree(head))
        {
            return null;
        }
        Directory.CreateDirectory(copies);
        var path = Path.Combine(copies, Guid.NewGuid().ToString("N"));
        copying[path] = 0; // before the file exists, so a sweep never takes it for a leftover
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = name }, ct);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await response.ResponseStream.CopyToAsync(file, ct);
        }
        catch
        {
            Release(path);
            throw;
        }
        return new LocalCopy(path, () => Release(path));
    }

    public string MoveTo(string key, long applicationId)
    {
        var moved = KeyIn(key, applicationId);
        Blocking(async () =>
        {
            var head = await HeadAsync(ObjectOf(key));
            if (head is null)
            {
                return; // like Delete, a file that is already gone is not an error
            }
            if (!IsTree(head))
            {
                await CopyObjectAsync(ObjectOf(key), ObjectOf(moved), head.ContentLength);
                await client.DeleteObjectAsync(bucket, ObjectOf(key));
                return;
            }
            // The copy is a tree write of its own (journal, files, marker last), then the original is deleted.
            await WithJournalAsync(moved, async () =>
            {
                foreach (var child in await ListAllAsync(ObjectOf(key) + "/"))
                {
                    await CopyObjectAsync(child.Key, ObjectOf(moved) + child.Key[ObjectOf(key).Length..], child.Size ?? 0);
                }
                await WriteMarkerAsync(moved, CancellationToken.None);
            });
            await DeleteTreeAsync(key);
        });
        return moved;
    }

    public string KeyIn(string key, long applicationId) => MediaStorageKeys.In(key, applicationId);

    public void Delete(string key) => Blocking(async () =>
    {
        var head = await HeadAsync(ObjectOf(key));
        if (head is not null && !IsTree(head))
        {
            await client.DeleteObjectAsync(bucket, ObjectOf(key));
        }
        else
        {
            await DeleteTreeAsync(key); // also what a crashed tree operation left without its marker
        }
    });

    public IEnumerable<string> ListKeys(long applicationId) => Blocking(async () =>
    {
        var folder = prefix + MediaStorageKeys.Of(applicationId, "");
        // Files and tree markers; the files inside trees are one level deeper (under the delimiter) and not listed.
        return (await ListAllAsync(folder, delimiter: "/"))
            .Select(o => o.Key[prefix.Length..])
            .Where(MediaStorageKeys.IsKey)
            .ToList();
    });

    /// <remarks>Instances sharing a bucket need not know of each other, so a write is never taken for abandoned before
    /// <c>AbandonedAfter</c>, even when the caller believes it is alone.</remarks>
    public int RemoveAbandonedWrites(TimeSpan? untouchedFor = null) => Blocking(async () =>
    {
        var before = clock.GetUtcNow().UtcDateTime - (untouchedFor > abandonedAfter ? untouchedFor.Value : abandonedAfter);
        var removed = 0;

        // Multipart uploads never completed (a killed instance) hold their parts until aborted.
        foreach (var upload in await ListUploadsAsync())
        {
            if (!writing.ContainsKey(upload.UploadId) && upload.Initiated is { } initiated && initiated.ToUniversalTime() < before)
            {
                await AbortAsync(upload.Key, upload.UploadId);
                removed++;
            }
        }

        // Tree operations that never finished: without its marker, whatever the tree holds is removed.
        foreach (var entry in await ListAllAsync(prefix + PendingFolder))
        {
            var key = entry.Key[(prefix + PendingFolder).Length..];
            if (writing.ContainsKey(entry.Key) || entry.LastModified is not { } modified || modified.ToUniversalTime() >= before
                || !MediaStorageKeys.IsKey(key))
            {
                continue;
            }
            if (await HeadAsync(ObjectOf(key)) is null)
            {
                await DeleteObjectsAsync(ObjectOf(key) + "/");
                removed++;
            }
            await client.DeleteObjectAsync(bucket, entry.Key);
        }

        // Local copies a crash left in this instance's own folder (never shared with another instance).
        if (Directory.Exists(copies))
        {
            foreach (var file in Directory.EnumerateFiles(copies).Where(f => !copying.ContainsKey(f)))
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    });

    public void Dispose() => client.Dispose();

    private string ObjectOf(string key) => prefix + MediaStorageKeys.Checked(key);

    private static bool IsTree(GetObjectMetadataResponse head) => head.Metadata[TreeMetadata] is "1";

    private void Release(string path)
    {
        File.Delete(path);
        copying.TryRemove(path, out _);
    }

    /// <summary>
    /// Streams <paramref name="content"/> into one object: a single PUT when it fits in one part, otherwise a multipart
    /// upload of <see cref="PartSize"/> parts, aborted on any failure or cancellation so no parts remain.
    /// </summary>
    private async Task WriteObjectAsync(string name, Stream content, Dictionary<string, string>? metadata, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct);
            if (filled < PartSize)
            {
                var put = new PutObjectRequest
                {
                    BucketName = bucket, Key = name, InputStream = new MemoryStream(buffer, 0, filled, writable: false),
                    // Without it the SDK frames the body as aws-chunked, which some stores (s3rver) keep inside the object.
                    UseChunkEncoding = false,
                };
                foreach (var (field, value) in metadata ?? [])
                {
                    put.Metadata[field] = value;
                }
                await client.PutObjectAsync(put, ct);
                return;
            }

            var upload = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = name }, ct)).UploadId;
            writing[upload] = 0;
            try
            {
                var parts = new List<PartETag>();
                while (filled > 0)
                {
                    var part = await client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = bucket, Key = name, UploadId = upload, PartNumber = parts.Count + 1,
                        InputStream = new MemoryStream(buffer, 0, filled, writable: false), PartSize = filled, UseChunkEncoding = false,
                    }, ct);
                    parts.Add(new PartETag(parts.Count + 1, part.ETag));
                    filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct);
                }
                await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = bucket, Key = name, UploadId = upload, PartETags = parts,
                }, ct);
            }
            catch
            {
                await AbortAsync(name, upload);
                throw;
            }
            finally
            {
                writing.TryRemove(upload, out _);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task WriteMarkerAsync(string key, CancellationToken ct) =>
        WriteObjectAsync(ObjectOf(key), Stream.Null, new() { [TreeMetadata] = "1" }, ct);

    /// <summary>
    /// Runs a tree operation between writing and removing its journal entry. When it fails, <paramref name="undo"/>
    /// removes what it wrote; if that fails too, the entry stays for <see cref="RemoveAbandonedWrites"/>.
    /// </summary>
    private async Task WithJournalAsync(string key, Func<Task> operation, Func<Task>? undo = null)
    {
        var entry = prefix + PendingFolder + MediaStorageKeys.Checked(key);
        writing[entry] = 0;
        try
        {
            await WriteObjectAsync(entry, Stream.Null, null, CancellationToken.None);
            try
            {
                await operation();
            }
            catch when (undo is not null)
            {
                await undo();
                await client.DeleteObjectAsync(bucket, entry);
                throw;
            }
            await client.DeleteObjectAsync(bucket, entry);
        }
        finally
        {
            writing.TryRemove(entry, out _);
        }
    }

    /// <summary>Marker first (the tree stops existing), then its files; the journal covers a crash in between.</summary>
    private Task DeleteTreeAsync(string key) => WithJournalAsync(key, async () =>
    {
        await client.DeleteObjectAsync(bucket, ObjectOf(key));
        await DeleteObjectsAsync(ObjectOf(key) + "/");
    });

    private async Task CopyObjectAsync(string from, string to, long size)
    {
        if (size <= MaxServerSideCopy)
        {
            await client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = from, DestinationBucket = bucket, DestinationKey = to });
            return;
        }
        await using var source = new S3ReadStream(client, bucket, from, size);
        await WriteObjectAsync(to, source, null, CancellationToken.None);
    }

    private async Task DeleteObjectsAsync(string folder)
    {
        foreach (var batch in (await ListAllAsync(folder)).Chunk(1000)) // DeleteObjects takes at most 1,000 keys
        {
            await client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = bucket, Objects = batch.Select(o => new KeyVersion { Key = o.Key }).ToList(),
            });
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string name, CancellationToken ct = default)
    {
        try
        {
            return await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = name }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Best effort: an upload that cannot be aborted now is aborted by a later sweep (or the bucket's lifecycle rule).</summary>
    private async Task AbortAsync(string name, string upload)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = name, UploadId = upload });
        }
        catch (AmazonServiceException)
        {
        }
    }

    private async Task<List<S3Object>> ListAllAsync(string folder, string? delimiter = null)
    {
        var all = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = folder, Delimiter = delimiter };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            all.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return all;
    }

    private async Task<List<MultipartUpload>> ListUploadsAsync()
    {
        var all = new List<MultipartUpload>();
        var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix };
        ListMultipartUploadsResponse page;
        do
        {
            page = await client.ListMultipartUploadsAsync(request);
            all.AddRange(page.MultipartUploads ?? []);
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
        while (page.IsTruncated == true);
        return all;
    }

    /// <summary>The synchronous parts of the contract, off the caller's synchronization context (see the class comment).</summary>
    private static T Blocking<T>(Func<Task<T>> operation) => Task.Run(operation).GetAwaiter().GetResult();

    private static void Blocking(Func<Task> operation) => Task.Run(operation).GetAwaiter().GetResult();
}
