using System.Security.Cryptography;

namespace VodConsole.Core.Applications;

/// <summary>
/// Picks application IDs: ten-digit numbers in the style of the Tencent console's SubAppIds. They are random rather
/// than sequential so that one application's ID tells nothing about the others; the primary key makes them unique and
/// <see cref="ApplicationService"/> retries on the rare collision.
/// </summary>
public class ApplicationIdGenerator
{
    public const long MinId = 1_500_000_000;
    public const long MaxId = 1_999_999_999;

    public virtual long Next() => MinId + RandomNumberGenerator.GetInt32(0, (int)(MaxId - MinId + 1));
}
