namespace VodConsole.Core.Usage;

/// <summary>
/// When the playback domain counts a play: a response that starts at the first byte, once it has delivered a meaningful
/// amount — the whole file, or <see cref="MeaningfulBytes"/> of a larger one. A probe (<c>Range: bytes=0-0</c>, a player
/// reading the header and going away) counts nothing, so plays cannot be inflated for the price of a request; whoever
/// still inflates them downloads a megabyte per play, which the application's traffic figures show too (README).
/// </summary>
public static class PlayRule
{
    public const long MeaningfulBytes = 1024 * 1024;

    /// <summary>How many bytes a response must deliver to count as a play; null when it cannot (it does not start at the first byte).</summary>
    public static long? BytesForPlay(long offset, long fileLength) =>
        offset == 0 ? Math.Max(1, Math.Min(fileLength, MeaningfulBytes)) : null;
}
