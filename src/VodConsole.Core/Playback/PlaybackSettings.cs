using VodConsole.Core.Common;

namespace VodConsole.Core.Playback;

/// <summary>An application's playback-domain security. No row means signing is off.</summary>
public sealed class PlaybackSettings : IApplicationOwned
{
    public const int ProtectedKeyMaxLength = 1000;

    public long ApplicationId { get; set; }
    public bool SigningEnabled { get; set; }
    /// <summary>The signing key encrypted with ASP.NET Core Data Protection; never stored or logged in clear.</summary>
    public string? ProtectedSigningKey { get; set; }
}

/// <summary>An application's playback settings with the key in clear, for the settings page and the playback endpoint.</summary>
/// <param name="KeyHidden">True when a key exists but the reader may not see it (read-only access).</param>
public sealed record PlaybackSecurity(bool SigningEnabled, string? SigningKey, bool KeyHidden = false)
{
    public static PlaybackSecurity Off { get; } = new(false, null);

    public override string ToString() => $"PlaybackSecurity {{ SigningEnabled = {SigningEnabled} }}"; // the key stays out of logs
}
