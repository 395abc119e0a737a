using System.Globalization;

namespace VodConsole.Core.Playback;

/// <summary>
/// Directory-scoped signatures for a transcoding job's output tree, after Tencent VOD's key hotlink protection for HLS:
/// the signature covers the tree's directory <c>/play/{app}/{media}/outputs/{job}/</c> and an expiry, and travels in the
/// path (<c>…/outputs/{job}/s/{t}/{sign}/master.m3u8</c>), so the relative URIs inside the master and variant playlists
/// resolve under the same signed prefix without rewriting any playlist (decision 0014). The HMAC is
/// <see cref="UrlSigning"/>'s, over the directory instead of a file's path; a directory ends with <c>/</c> and an
/// original's path never does, so neither kind of signature is ever valid as the other.
/// </summary>
public static class TreeSigning
{
    /// <summary>The path segment that introduces <c>{t}/{sign}</c> inside a tree's URL.</summary>
    public const string Marker = "s";

    /// <summary>The directory a job's files are served under; the signed string (with <c>t</c>).</summary>
    public static string DirectoryOf(long applicationId, long mediaId, long jobId) =>
        string.Create(CultureInfo.InvariantCulture, $"/play/{applicationId}/{mediaId}/outputs/{jobId}/");

    /// <summary>The signed prefix (ending with <c>/</c>) that authorises every file of the tree until <paramref name="expiresAt"/>.</summary>
    public static string SignedDirectory(string key, long applicationId, long mediaId, long jobId, DateTimeOffset expiresAt)
    {
        var directory = DirectoryOf(applicationId, mediaId, jobId);
        var (t, sign) = UrlSigning.Sign(key, directory, expiresAt);
        return $"{directory}{Marker}/{t}/{sign}/";
    }

    /// <summary>Checks the <c>t</c> and <c>sign</c> of a request for a file of the tree of this application, media and job.</summary>
    public static SignatureCheck Verify(string key, long applicationId, long mediaId, long jobId, string? t, string? sign, DateTimeOffset now) =>
        UrlSigning.Verify(key, DirectoryOf(applicationId, mediaId, jobId), t, sign, now);

    /// <summary>
    /// Whether a file path stays inside its tree: relative, forward slashes, no empty, <c>.</c> or <c>..</c> segment. A
    /// signature covers a directory, so the path below it is all that keeps a request inside what was signed.
    /// </summary>
    public static bool IsInsideTree(string? relativePath) =>
        !string.IsNullOrEmpty(relativePath)
        && !relativePath.Contains('\\') && !relativePath.Contains('\0')
        && relativePath.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..");
}
