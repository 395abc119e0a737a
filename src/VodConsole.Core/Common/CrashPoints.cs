using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace VodConsole.Core.Common;

/// <summary>
/// <c>Testing:*</c> — set only by the crash tests, never in a deployment. <see cref="CrashAt"/> names a point between
/// two steps that are otherwise microseconds apart, so a test can cut the power exactly there.
/// </summary>
public sealed class TestingOptions
{
    public const string Section = "Testing";
    public string? CrashAt { get; set; }
}

/// <summary>
/// Places where an operation may crash between two steps. When <see cref="TestingOptions.CrashAt"/> names one, the
/// process kills itself there with SIGKILL (no finally block, no flush, no graceful stop), as a power cut would.
/// </summary>
public sealed class CrashPoints(IOptions<TestingOptions> options)
{
    /// <summary>An upload's media row and roll-ups are committed; its audit entry and processing signal are not yet.</summary>
    public const string UploadCommitted = "UploadCommitted";
    /// <summary>A move renamed its files into the destination's folder; the rows still name the source.</summary>
    public const string MoveFilesMoved = "MoveFilesMoved";
    /// <summary>A delete committed (rows and roll-ups gone); the files are still on disk.</summary>
    public const string DeleteCommitted = "DeleteCommitted";

    public void Reach(string point)
    {
        if (string.Equals(options.Value.CrashAt, point, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
