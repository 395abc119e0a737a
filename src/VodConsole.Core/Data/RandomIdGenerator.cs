using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ValueGeneration;

namespace VodConsole.Core.Data;

/// <summary>
/// Picks the ID of a new media item or callback event when it is added to a context: a random positive number, so an ID
/// tells nothing about the others (how busy another application is, which IDs to try on the playback endpoint). Like
/// application IDs (<see cref="Applications.ApplicationIdGenerator"/>) they are random, not sequential; the primary key
/// keeps them unique. See docs/decisions/0012-random-media-and-event-ids.md.
/// </summary>
public sealed class RandomIdGenerator : ValueGenerator<long>
{
    /// <summary>
    /// Sixteen digits: far above every sequential ID given before, so old and new IDs never meet, and at most 2^53 − 1,
    /// the largest integer a JavaScript client (JSON.parse, the browser) reads exactly. About 2^52.9 values: guessing one
    /// of a million items takes billions of tries.
    /// </summary>
    public const long MinId = 1_000_000_000_000_000;
    public const long MaxId = (1L << 53) - 1;

    public static long Next()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        while (true)
        {
            // 53 random bits, uniform; the one draw in nine that falls below the range is drawn again (no modulo bias).
            RandomNumberGenerator.Fill(bytes);
            var id = (long)(BitConverter.ToUInt64(bytes) & MaxId);
            if (id >= MinId)
            {
                return id;
            }
        }
    }

    public override bool GeneratesTemporaryValues => false;

    public override long Next(EntityEntry entry) => Next();
}
