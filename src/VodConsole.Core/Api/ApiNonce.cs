using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;

namespace VodConsole.Core.Api;

/// <summary>
/// A nonce a key has used. Kept until the request's timestamp leaves the accepted window, after which the timestamp
/// check alone refuses a replay. In the database, so every server on it refuses the same replay.
/// </summary>
public sealed class ApiNonce
{
    public const int MaxLength = 64;

    public string KeyId { get; set; } = "";
    public string Nonce { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Records nonces (the key of the table refuses a second use, on any server) and prunes expired ones.</summary>
public sealed class ApiNonceStore(IDbContextFactory<VodDbContext> dbFactory)
{
    /// <summary>True the first time a key uses a nonce; false for a reuse.</summary>
    public async Task<bool> TryUseAsync(string keyId, string nonce, DateTime expiresAt, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One statement, decided by the table's key, so two servers racing with one nonce cannot both win; a replay
        // inserts nothing instead of failing (an attacker replaying requests must not fill the error log).
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "ApiNonces" ("KeyId", "Nonce", "ExpiresAt") VALUES ({keyId}, {nonce}, {expiresAt}) ON CONFLICT DO NOTHING""", ct);
        return inserted == 1;
    }

    /// <summary>Deletes the nonces whose requests are too old to be accepted anyway.</summary>
    public async Task<int> PruneAsync(DateTime now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiNonces.Where(n => n.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }
}
