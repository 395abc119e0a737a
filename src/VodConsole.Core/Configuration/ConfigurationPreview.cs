namespace VodConsole.Core.Configuration;

/// <summary>
/// What applying <see cref="Sections"/> of <see cref="Source"/> would change in each target, as the operator confirms
/// it. Applying takes this very preview: the same source document, and each target only if it is still as it was when
/// previewed (<see cref="TargetPreview.Fingerprint"/>), so what is applied is exactly what was shown.
/// </summary>
public sealed record ConfigurationPreview(
    ConfigurationDocument Source, IReadOnlyList<ConfigSection> Sections, IReadOnlyList<TargetPreview> Targets);

/// <summary>One target of a preview.</summary>
/// <param name="Fingerprint">The target's configuration (keys' presence included) when previewed; apply refuses a target that no longer matches.</param>
/// <param name="Changes">Left: the target now; right: after applying. Never <see cref="DifferenceKind.Removed"/>: applying deletes nothing.</param>
/// <param name="Notes">What applying does not copy or keeps as it is: secrets, and the target's own templates and categories.</param>
/// <param name="Problem">Why the target cannot take these sections (nothing would be applied to it); null when it can.</param>
public sealed record TargetPreview(
    long ApplicationId, string Name, string Fingerprint, IReadOnlyList<ConfigurationRow> Changes, IReadOnlyList<string> Notes, string? Problem);

public enum ApplyOutcome
{
    /// <summary>Applied in one transaction, with one audit entry.</summary>
    Applied,
    /// <summary>The target already had this configuration: nothing written, nothing recorded.</summary>
    NothingToChange,
    /// <summary>The sections break one of the target's rules: nothing was written to it.</summary>
    Invalid,
    /// <summary>The target changed after the preview: nothing was written to it; preview again.</summary>
    Stale,
    /// <summary>The database refused the save: it was rolled back, nothing was written to the target.</summary>
    Failed,
}

/// <summary>What happened to one target; each target's result stands on its own.</summary>
public sealed record ConfigurationApplyResult(
    long ApplicationId, string Name, ApplyOutcome Outcome, string Message, IReadOnlyList<ConfigurationRow> Changes);
