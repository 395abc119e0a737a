namespace VodConsole.Core.Media;

public enum MediaSort { Newest, Oldest, Title, Largest, Relevance }

/// <summary>A category to filter by; a null ID means the uncategorised media.</summary>
public sealed record MediaCategoryFilter(long? CategoryId);

/// <summary>What the media library shows: an optional search, filters, and the order.</summary>
public sealed record MediaQuery(
    string? Text = null,
    MediaStatus? Status = null,
    MediaCategoryFilter? Category = null,
    string? Tag = null,
    MediaSort Sort = MediaSort.Newest);

/// <summary>
/// Where a page of the library ends: the next page starts after this item in the query's order. It carries every sort
/// key, so a cursor can only be used with the sort it was made for.
/// </summary>
public sealed record MediaCursor(MediaSort Sort, long Id, DateTime CreatedAt, string Title, long SizeBytes, double Rank);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, MediaCursor? Next);
