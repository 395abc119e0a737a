using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Api;

/// <summary>
/// The pull mode of event callbacks: the application reads its waiting events (oldest first, reading changes nothing)
/// and acknowledges those it has handled, which leave the queue.
/// </summary>
internal static class CallbackApi
{
    public static void MapCallbackApi(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/callbacks/events").WithTags("Callbacks");
        events.MapGet("/", ReadAsync).Reads().WithName("ReadCallbackEvents").WithMetadata(ApiIntegerParameter.MaxEvents)
            .WithSummary($"Up to Max (1–{CallbackQueue.MaxBatch}) unacknowledged events of the application, oldest first")
            .WithDescription("For applications whose callbacks are in Pull mode. Reading changes nothing: the same events come back until "
                + "they are acknowledged.");
        events.MapPost("/ack", AckAsync).Changes().WithName("AckCallbackEvents")
            .WithSummary($"Acknowledge up to {CallbackQueue.MaxBatch} events; unknown or already acknowledged IDs are skipped")
            .WithDescription("Acknowledged events leave the queue. Answers how many did; more than 100 IDs answer 400 InvalidParameter.EventIds.")
            .TakesJson();
    }

    /// <param name="Max">The most events to answer, 1 to 100 (default 100).</param>
    private static async Task<Ok<ApiCallbackEventList>> ReadAsync(CallbackQueue queue, RoleContext roles, string? Max, CancellationToken ct)
    {
        var waiting = await queue.ReadAsync(roles.CurrentApplicationId, ApiIntegerParameter.MaxEvents.Read(Max), ct);
        return TypedResults.Ok(new ApiCallbackEventList(waiting
            .Select(e => new ApiCallbackEvent(e.EventId, e.EventType, e.CreatedAt, JsonDocument.Parse(e.Payload).RootElement.Clone()))
            .ToList()));
    }

    private static async Task<Ok<ApiCallbackAcknowledged>> AckAsync(CallbackQueue queue, RoleContext roles, ApiCallbackAck request, CancellationToken ct) =>
        TypedResults.Ok(new ApiCallbackAcknowledged(await queue.AckAsync(roles.CurrentApplicationId, request.EventIds ?? [], ct)));
}
