namespace VodConsole.Core.Media;

/// <summary>
/// Someone saved the media item after the operator opened it, so the operator's changes were not saved.
/// <see cref="Current"/> holds what is stored now, to show and start again from.
/// </summary>
public sealed class MediaEditConflictException(MediaItem current)
    : Exception("This media item was changed by someone else after you opened it. Your changes were not saved.")
{
    public MediaItem Current { get; } = current;
}
