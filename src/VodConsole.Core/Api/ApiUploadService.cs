using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Access;
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
        db.ApiUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload;
    }

    /// <summary>Stores the file of a started upload; it can be sent once.</summary>
    public async Task<ApiUpload> ReceiveAsync(string uploadId, Stream body, long maxBytes, CancellationToken ct = default)
    {
        var applicationId = roles.CurrentApplicationId;
        await access.RequireWriteAsync(applicationId, ct);
        var upload = await FindAsync(uploadId, ct);
        if (upload.State != ApiUploadState.Started)
        {
            throw AlreadySent();
        }

        var stored = await uploads.StoreAsync(applicationId, body, maxBytes, ct);
        await using var db = await data.OpenForAsync(applicationId, ct);
        // Conditional, so two sends racing each other cannot both attach a file: the second one's file is deleted.
        var claimed = await db.ApiUploads
            .Where(u => u.Id == uploadId && u.State == ApiUploadState.Started)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.State, ApiUploadState.Received)
                .SetProperty(u => u.StorageKey, stored.StorageKey)
                .SetProperty(u => u.ContentType, stored.ContentType)
                .SetProperty(u => u.SizeBytes, stored.SizeBytes), ct);
        if (claimed == 0)
        {
            storage.Delete(stored.StorageKey);
            throw AlreadySent();
        }
        return await FindAsync(uploadId, ct);
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
            case not ApiUploadState.Received:
                throw new ApiException(ApiErrors.FailedOperation + ".UploadInProgress", 409, "This upload is being committed by another request.");
        }

        await using (var db = await data.OpenForAsync(applicationId, ct))
        {
            // Claimed first, so two commits racing each other cannot make two media items of one file.
            if (await db.ApiUploads.Where(u => u.Id == uploadId && u.State == ApiUploadState.Received)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.State, ApiUploadState.Committing), ct) == 0)
            {
                throw new ApiException(ApiErrors.FailedOperation + ".UploadInProgress", 409, "This upload is being committed by another request.");
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
        return await db.ApiUploads.AsNoTracking()
                .SingleOrDefaultAsync(u => u.Id == uploadId && u.KeyId == keyId && u.ExpiresAt > now, ct)
            ?? throw new ResourceNotFoundException("Upload", "Not found: there is no upload with this ID for this key and application (uploads expire after 24 hours).");
    }

    private static ApiException AlreadySent() =>
        new(ApiErrors.FailedOperation + ".UploadAlreadyReceived", 409, "The file of this upload was already sent; start a new upload to send another.");
}
