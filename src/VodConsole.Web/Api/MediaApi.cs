using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Api;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Api;

/// <summary>
/// Media of the <c>SubAppId</c> application: list and search (keyset pages), get one, get many, update, delete, move; and
/// the search across the applications a key may use (<c>SubAppIds</c>).
/// Every operation calls the console's own services, which open the data isolated to the application the request's
/// <see cref="RoleContext"/> holds and check access before any change.
/// </summary>
internal static class MediaApi
{
    public static void MapMediaApi(this RouteGroupBuilder api)
    {
        var media = api.MapGroup("/media").WithTags("Media");
        media.MapGet("/", ListAsync).Reads().WithName("ListMedia").WithMetadata(ApiIntegerParameter.Limit)
            .WithSummary("List or search the application's media, a page at a time")
            .WithDescription("Answers a page of Limit items and a ContinuationToken for the next page (null on the last). Paging is "
                + "keyset-based: items added meanwhile neither repeat nor hide entries. With Text, the items that match every word "
                + "(the last also as a prefix), best match first unless Sort says otherwise.");
        media.MapGet("/search", SearchAsync).AcrossApplications().WithName("SearchMedia").WithMetadata(ApiIntegerParameter.Limit)
            .WithSummary("Search the media of every application the key may use, or of those SubAppIds names")
            .WithDescription("The items of those applications that match every word of Text (the last also as a prefix), best match "
                + "first, as ListMedia ranks one application's; each names its application in SubAppId. SubAppIds is a comma-separated "
                + "list of application IDs (0: the primary application); without it an account key searches every application and an "
                + "application key its own. An ID the key may not use answers 404 ResourceNotFound.SubAppIds, like one that does not "
                + "exist, and nothing is searched; SubAppId is refused here (400). Keyset pages of Limit items with a ContinuationToken.");
        media.MapGet("/{mediaId:long}", GetAsync).Reads().WithName("GetMedia").WithSummary("Get one media item")
            .WithDescription("An ID that is not media of this application (missing, or another application's) answers 404 ResourceNotFound.Media.");
        media.MapPost("/batch-get", BatchGetAsync).Reads().WithName("BatchGetMedia")
            .WithSummary("Get up to 20 media items by ID; the IDs that are not media of this application come back in NonExistMediaIds")
            .WithDescription("A read, although a POST: the IDs travel in the body. More than 20 IDs answer 400 LimitExceeded.MediaIds.")
            .TakesJson();
        media.MapPatch("/{mediaId:long}", UpdateAsync).Changes().WithName("UpdateMedia")
            .WithSummary("Change a media item's title, description, category or tags")
            .WithDescription("A partial update: absent or null fields stay as they are. With Version, a change made meanwhile answers "
                + "409 FailedOperation.VersionConflict and changes nothing. Recorded in the audit log and sent as a MediaUpdated event.")
            .TakesJson().ProducesApiErrors(409);
        media.MapDelete("/{mediaId:long}", DeleteAsync).Changes().WithName("DeleteMedia")
            .WithSummary("Delete a media item with its files")
            .WithDescription("Answers 204 without a body; the item, its files and its storage figures are gone. A second delete answers 404.");
        media.MapPost("/move", MoveAsync).Changes().WithName("MoveMedia")
            .WithSummary("Move up to 20 media items to another application the key may change")
            .WithDescription("Normal and Failed items move; one still Uploading or Processing stops the whole move (400 FailedOperation) "
                + "and nothing moves. The destination must be enabled (403 ResourceUnavailable.SubAppDisabled otherwise). Items keep "
                + "their IDs and arrive uncategorised; both applications get a MediaMoved event.")
            .TakesJson();
    }

    /// <param name="Text">Full-text search over title, description and tags; with it, Sort may be Relevance.</param>
    /// <param name="Status">Uploading, Processing, Normal or Failed.</param>
    /// <param name="CategoryId">A category of the application; 0 for the uncategorised media.</param>
    /// <param name="Sort">Newest (default), Oldest, Title, Largest or Relevance.</param>
    /// <param name="Limit">Items per page, 1 to 100 (default 20).</param>
    /// <param name="ContinuationToken">The previous page's token, for the next page (same query).</param>
    private static async Task<Ok<ApiMediaPage>> ListAsync(
        MediaLibrary library, string? Text, string? Status, string? CategoryId, string? Tag, string? Sort,
        string? Limit, string? ContinuationToken, CancellationToken ct)
    {
        var category = ApiParameters.Long(CategoryId, nameof(CategoryId)) is { } id ? new MediaCategoryFilter(id == 0 ? null : id) : null;
        var query = new MediaQuery(
            Text, ApiParameters.Enum<MediaStatus>(Status, nameof(Status)), category, Tag,
            ApiParameters.Enum<MediaSort>(Sort, nameof(Sort)) ?? (string.IsNullOrWhiteSpace(Text) ? MediaSort.Newest : MediaSort.Relevance));
        var size = ApiIntegerParameter.Limit.Read(Limit);
        var page = await library.PageAsync(query, ContinuationTokens.Decode<MediaCursor>(ContinuationToken), size, ct);
        return TypedResults.Ok(new ApiMediaPage(page.Items.Select(ApiMedia.From).ToList(), ContinuationTokens.Encode(page.Next)));
    }

    /// <param name="Text">The words to find (required): in titles, descriptions and tags, the last also as a prefix.</param>
    /// <param name="SubAppIds">Application IDs to search, separated by commas (0: the primary application); absent: every application the key may use.</param>
    /// <param name="Limit">Items per page, 1 to 100 (default 20).</param>
    /// <param name="ContinuationToken">The previous page's token, for the next page (same Text and SubAppIds).</param>
    private static async Task<Ok<ApiMediaSearchPage>> SearchAsync(
        CrossApplicationMediaSearch search, RoleContext roles, string? Text, string? SubAppIds, string? Limit, string? ContinuationToken,
        CancellationToken ct)
    {
        if (MediaSearchTerms.From(Text).Words.Count == 0)
        {
            throw ApiErrors.Invalid(nameof(Text), "Give Text: the words to search for (letters or digits).");
        }
        var applications = ApiParameters.SubAppIds(SubAppIds, roles.Catalog!);
        var size = ApiIntegerParameter.Limit.Read(Limit);
        var page = await search.SearchAsync(Text, applications, ContinuationTokens.Decode<CrossApplicationCursor>(ContinuationToken), size, ct);
        return TypedResults.Ok(new ApiMediaSearchPage(
            [.. page.Hits.Select(h => ApiMedia.From(h.Media))], [.. page.Searched.Select(a => a.ApplicationId!.Value)],
            ContinuationTokens.Encode(page.Next)));
    }

    private static async Task<Ok<ApiMedia>> GetAsync(MediaLibrary library, long mediaId, CancellationToken ct) =>
        TypedResults.Ok(ApiMedia.From(await library.FindAsync(mediaId, ct) ?? throw MediaNotFound()));

    private static async Task<Ok<ApiMediaBatch>> BatchGetAsync(MediaLibrary library, ApiMediaIds request, CancellationToken ct)
    {
        var ids = ApiParameters.MediaIds(request.MediaIds);
        var found = (await library.FindManyAsync(ids, ct)).ToDictionary(m => m.Id);
        return TypedResults.Ok(new ApiMediaBatch(
            ids.Where(found.ContainsKey).Select(id => ApiMedia.From(found[id])).ToList(),
            ids.Where(id => !found.ContainsKey(id)).ToList()));
    }

    private static async Task<Ok<ApiMedia>> UpdateAsync(
        MediaLibrary library, MediaEditor editor, long mediaId, ApiMediaUpdate request, CancellationToken ct)
    {
        var current = await library.FindAsync(mediaId, ct) ?? throw MediaNotFound();
        if (request.Tags?.FirstOrDefault(t => t.Contains(MediaTags.Separator)) is { } withComma)
        {
            throw ApiErrors.Invalid("Tags", $"A tag cannot contain a comma: \"{withComma}\".");
        }
        var edit = new MediaDetailsEdit(
            request.Title ?? current.Title,
            request.Description ?? current.Description,
            request.CategoryId is { } category ? (category == 0 ? null : category) : current.CategoryId,
            request.Tags is { } tags ? MediaTags.Join(tags) : current.Tags);
        var updated = await editor.UpdateDetailsAsync(mediaId, edit, request.Version ?? current.Version, ct);
        return TypedResults.Ok(ApiMedia.From(updated));
    }

    private static async Task<NoContent> DeleteAsync(MediaLibrary library, long mediaId, CancellationToken ct)
    {
        await library.DeleteAsync(mediaId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ApiMediaMoved>> MoveAsync(
        MediaMover mover, RoleContext roles, ApiMediaMove request, CancellationToken ct)
    {
        var ids = ApiParameters.MediaIds(request.MediaIds);
        const string parameter = nameof(ApiMediaMove.DestinationSubAppId);
        if (request.DestinationSubAppId is not { } destinationId)
        {
            throw ApiErrors.Invalid(parameter, "Give the DestinationSubAppId to move the media to.");
        }
        // The destination is named like SubAppId and must be just as usable by the key (else: not found).
        var destination = ApiKeyRoles.ResolveApplication(roles.Catalog!, destinationId.ToString(System.Globalization.CultureInfo.InvariantCulture), parameter);
        if (destination.ApplicationId == roles.CurrentApplicationId)
        {
            throw ApiErrors.Invalid(parameter, "The media is already in this application; give another DestinationSubAppId.");
        }
        if (!destination.CanWrite)
        {
            throw ApiErrors.Forbidden(ApiErrors.ReadOnly, "This key has read-only access to the destination application.");
        }
        // The console's rule: a disabled application is managed as usual, but nothing new is moved into it.
        if (destination.IsDisabled)
        {
            throw ApiErrors.Forbidden(ApiErrors.SubAppDisabled,
                $"The application {destination.ApplicationId} is disabled (or the account suspended); enable it before moving media into it.");
        }
        await mover.MoveAsync(ids, destination.ApplicationId!.Value, ct);
        return TypedResults.Ok(new ApiMediaMoved(ids, roles.CurrentApplicationId, destination.ApplicationId.Value));
    }

    private static ApiException MediaNotFound() => ApiErrors.NotFound("Media", "There is no media item with this ID in this application.");
}
