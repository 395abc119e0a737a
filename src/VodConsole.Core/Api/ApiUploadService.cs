using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
using VodConsole.Core.Budgets;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Core.Api;

/// <summary>
/// The server API's upload in three calls, on the console's own pipeline: <see cref="StartAsync"/> names the file,
/// <see cref="ReceiveAsync"/> streams it through <see cref="MediaUploadService.StoreAsync"/> (recognised by its first
/// bytes, counted against the limit, never buffered), <see cref="CommitAsync"/> makes it a media item through
/// <see cref="MediaUploadService.RecordAsync"/>. Each call needs write access to the current application, checked again
/// every time; a session belongs to the key that started it.
/// </summary>
public sealed class ApiUploadService(
    ApplicationData data, RoleContext roles, AccessPolicy access, MediaUploadService uploads, IMediaStorage storage, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a PUT holds its upload without renewing; a crashed one blocks the upload this long at most.</summary>
    public static readonly TimeSpan ReceiveLease = TimeSpan.FromMinutes(1);

    public async Task<ApiUpload> StartAsync(string? fileName, CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await access.RequireWriteAsync(applicationId, ct);
        var name = TextRules.Required(fileName, ApiUpload.FileNameMaxLength, "Give the file's name (its extension helps to recognise it).", "file name", "FileName");
        var now = clock.GetUtcNow().UtcDateTime;
        var upload = new ApiUpload
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiUpload.IdLength / 2)),
            ApplicationId = applicationId,
            FileName = name,
            KeyId = Caller.KeyId,
            State = ApiUploadState.Started,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        await using var db = await data.OpenForAsync(applicationId, ct);
        await BudgetRules.RefuseIfStoppedAsync(db, applicationId, clock, ct);
        db.ApiUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload;
    }

    /// <summary>
    /// Stores the file of a started upload; it can be sent once. While one PUT streams it, a second PUT (or a commit)
    /// on any server is refused with <c>UploadInProgress</c>; a PUT that fails or is cut off leaves the upload Started.
    /// </summary>
    public async Task<ApiUpload> ReceiveAsync(string uploadId, Stream body, long maxBytes, CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await access.RequireWriteAsync(applicationId, ct);
        var upload = await FindAsync(uploadId, ct);
        switch (upload.State)
        {
            case ApiUploadState.Receiving:
                throw InProgress();
            case not ApiUploadState.Started:
                throw AlreadySent();
        }

        var lease = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiUpload.IdLength / 2));
        if (!await TakeReceiveLeaseAsync(applicationId, uploadId, lease, ct))
        {
            // Another PUT took it between the read above and now.
            throw (await FindAsync(uploadId, ct)).State == ApiUploadState.Receiving ? InProgress() : AlreadySent();
        }

        var received = false;
        try
        {
            StoredUpload stored;
            using (var streaming = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var renewing = RenewReceiveLeaseAsync(applicationId, uploadId, lease, streaming.Token);
                try
                {
                    stored = await uploads.StoreAsync(applicationId, body, maxBytes, ct);
                }
                finally
                {
                    await streaming.CancelAsync();
                    await renewing;
                }
            }

            await using var db = await data.OpenForAsync(applicationId, ct);
            // Only while this PUT still holds the lease: one that lost it (it stalled past the lease and another PUT
            // took over) must not attach its file.
            var claimed = await db.ApiUploads
                .Where(u => u.Id == uploadId && u.State == ApiUploadState.Receiving && u.ReceiveLeaseId == lease)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.State, ApiUploadState.Received)
                    .SetProperty(u => u.StorageKey, stored.StorageKey)
                    .SetProperty(u => u.ContentType, stored.ContentType)
                    .SetProperty(u => u.SizeBytes, stored.SizeBytes)
                    .SetProperty(u => u.ReceiveLeaseId, (string?)null)
                    .SetProperty(u => u.ReceiveLeaseExpiresAt, (DateTime?)null), ct);
            if (claimed == 0)
            {
                storage.Delete(stored.StorageKey);
                throw InProgress();
            }
            received = true;
        }
        finally
        {
            if (!received)
            {
                // Refused, cut off or failed: the upload waits for its file again (a later PUT may send it).
                await using var db = await data.OpenForAsync(applicationId, CancellationToken.None);
                await db.ApiUploads
                    .Where(u => u.Id == uploadId && u.State == ApiUploadState.Receiving && u.ReceiveLeaseId == lease)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(u => u.State, ApiUploadState.Started)
                        .SetProperty(u => u.ReceiveLeaseId, (string?)null)
                        .SetProperty(u => u.ReceiveLeaseExpiresAt, (DateTime?)null), CancellationToken.None);
            }
        }
        return await FindAsync(uploadId, ct);
    }

    /// <summary>Conditional, so of two PUTs racing each other (on any servers) exactly one receives the file.</summary>
    private async Task<bool> TakeReceiveLeaseAsync(long applicationId, string uploadId, string lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await data.OpenForAsync(applicationId, ct);
        return await db.ApiUploads
            .Where(u => u.Id == uploadId
                        && (u.State == ApiUploadState.Started || (u.State == ApiUploadState.Receiving && u.ReceiveLeaseExpiresAt <= now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.State, ApiUploadState.Receiving)
                .SetProperty(u => u.ReceiveLeaseId, lease)
                .SetProperty(u => u.ReceiveLeaseExpiresAt, now + ReceiveLease), ct) == 1;
    }

    /// <summary>Keeps the lease alive while the file streams, however long that takes.</summary>
    private async Task RenewReceiveLeaseAsync(long applicationId, string uploadId, string lease, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ReceiveLease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var db = await data.OpenForAsync(applicationId, stop);
                    await db.ApiUploads
                        .Where(u => u.Id == uploadId && u.ReceiveLeaseId == lease)
                        .ExecuteUpdateAsync(set => set.SetProperty(u => u.ReceiveLeaseExpiresAt, clock.GetUtcNow().UtcDateTime + ReceiveLease), stop);
                }
                catch (DbException)
                {
                    // A busy database must not fail the upload: the next tick renews, and should the lease lapse
                    // meanwhile, the final conditional update finds it taken and refuses this PUT cleanly.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The file is in (or the PUT failed); the caller settles the lease.
        }
    }

    /// <summary>Makes the received file a media item (status Processing). Committing again answers the same item.</summary>
    public async Task<long> CommitAsync(string uploadId, CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await access.RequireWriteAsync(applicationId, ct);
        var upload = await FindAsync(uploadId, ct);
        switch (upload.State)
        {
            case ApiUploadState.Committed when upload.MediaId is { } mediaId:
                return mediaId;
            case ApiUploadState.Started:
                throw new ApiException(ApiErrors.FailedOperation + ".UploadNotReceived", 409, "Send the file (PUT) before committing the upload.");
            case ApiUploadState.Receiving:
                throw InProgress();
            case not ApiUploadState.Received:
                throw new ApiException(ApiErrors.UploadInProgress, 409, "This upload is being committed by another request.");
        }

        await using (var db = await data.OpenForAsync(applicationId, ct))
        {
            // Claimed first, so two commits racing each other cannot make two media items of one file.
            if (await db.ApiUploads.Where(u => u.Id == uploadId && u.State == ApiUploadState.Received)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.State, ApiUploadState.Committing), ct) == 0)
            {
                throw new ApiException(ApiErrors.UploadInProgress, 409, "This upload is being committed by another request.");
            }
        }

        var stored = new StoredUpload(upload.StorageKey!, upload.ContentType!, upload.SizeBytes);
        try
        {
            var item = await uploads.RecordAsync(applicationId, upload.FileName, stored, (db, media) =>
            {
                // Saved with the media item, so a crash cannot leave one without the other.
                db.ApiUploads.Attach(upload);
                upload.State = ApiUploadState.Committed;
                upload.Media = media;
            }, ct);
            return item.Id;
        }
        catch
        {
            // RecordAsync deleted the file; the session has nothing left to commit.
            await using var db = await data.OpenForAsync(applicationId, CancellationToken.None);
            await db.ApiUploads.Where(u => u.Id == uploadId).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Gives back what a crash interrupted, so every session is in a state its client can act on: a commit that never
    /// finished (its media item was not saved: the two commit together) is Received again, to be committed again. A send
    /// that never finished (Receiving) is Started again, to be sent again; its unfinished file is removed with every other. Call once at start, before the API answers. System work.
    /// </summary>
    public async Task<int> RecoverInterruptedAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        // System-wide on purpose: start-up recovery serves every application and changes only the session state.
        await using var db = await data.OpenSystemWideAsync(ct);
        var commits = await db.ApiUploads.Where(u => u.State == ApiUploadState.Committing)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.State, ApiUploadState.Received), ct);
        // A PUT that was streaming died with the process (called only when no other instance is alive, decision 0017): its hold is
        // given back now rather than when its lease runs out, so the client may send the file again at once.
        var receipts = await db.ApiUploads.Where(u => u.State == ApiUploadState.Receiving)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.State, ApiUploadState.Started)
                .SetProperty(u => u.ReceiveLeaseId, (string?)null)
                .SetProperty(u => u.ReceiveLeaseExpiresAt, (DateTime?)null), ct);
        return commits + receipts;
    }

    /// <summary>Removes sessions past their lifetime, with the file of any that was never committed. System work.</summary>
    public async Task<int> PruneExpiredAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await data.OpenSystemWideAsync(ct);
        var expired = await db.ApiUploads.Where(u => u.ExpiresAt < now).OrderBy(u => u.ExpiresAt).Take(500).ToListAsync(ct);
        foreach (var upload in expired.Where(u => u.State != ApiUploadState.Committed && u.StorageKey is not null))
        {
            storage.Delete(upload.StorageKey!);
        }
        db.ApiUploads.RemoveRange(expired);
        await db.SaveChangesAsync(ct);
        return expired.Count;
    }

    private ApiKeyCaller Caller =>
        roles.ApiKey ?? throw new AccessDeniedException("Uploads through the server API are made by an API key; the console uploads on its own page.");

    /// <summary>The session of this application and key; any other (or an expired one) is not found.</summary>
    private async Task<ApiUpload> FindAsync(string uploadId, CancellationToken ct)
    {
        var keyId = Caller.KeyId;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await data.OpenAsync(ct);
        var upload = await db.ApiUploads.AsNoTracking()
                .SingleOrDefaultAsync(u => u.Id == uploadId && u.KeyId == keyId && u.ExpiresAt > now, ct)
            ?? throw new ResourceNotFoundException("Upload", "Not found: there is no upload with this ID for this key and application (uploads expire after 24 hours).");
        if (upload is { State: ApiUploadState.Receiving, ReceiveLeaseExpiresAt: { } leaseEnd } && leaseEnd <= now)
        {
            // The PUT that held it stopped renewing (its server died): the upload waits for its file again.
            upload.State = ApiUploadState.Started;
        }
        return upload;
    }

    private static ApiException InProgress() =>
        new(ApiErrors.UploadInProgress, 409, "The file of this upload is being sent by another request; wait for it to finish (or fail) before sending or committing.");

    private static ApiException AlreadySent() =>
        new(ApiErrors.FailedOperation + ".UploadAlreadyReceived", 409, "The file of this upload was already sent; start a new upload to send another.");
}
