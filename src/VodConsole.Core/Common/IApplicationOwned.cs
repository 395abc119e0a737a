namespace VodConsole.Core.Common;

/// <summary>
/// A row that belongs to one application. <see cref="Data.VodDbContext"/> filters such rows to the context's isolated
/// application and refuses to save one of another application.
/// </summary>
public interface IApplicationOwned
{
    long ApplicationId { get; }
}
