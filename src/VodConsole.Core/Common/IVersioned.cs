namespace VodConsole.Core.Common;

/// <summary>
/// A row that carries an optimistic-concurrency token: every save that changes it bumps <see cref="Version"/>,
/// so a second writer holding an older version is refused instead of silently overwriting.
/// </summary>
public interface IVersioned
{
    long Version { get; set; }
    DateTime ModifiedAt { get; set; }
}
