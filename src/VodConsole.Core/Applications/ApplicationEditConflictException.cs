namespace VodConsole.Core.Applications;

/// <summary>
/// Someone saved the application after the caller read it. Nothing was written; <see cref="Current"/> holds what is
/// stored now, so the caller can show it and let the operator decide.
/// </summary>
public sealed class ApplicationEditConflictException(Application current)
    : Exception("This application was changed by someone else after you opened it. Your changes were not saved.")
{
    public Application Current { get; } = current;
}
