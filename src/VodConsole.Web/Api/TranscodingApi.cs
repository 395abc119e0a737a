using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Api;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;

namespace VodConsole.Web.Api;

/// <summary>
/// Transcoding of the <c>SubAppId</c> application: its templates (the system presets, read-only, and its own), starting
/// a job on a media item, and a media item's jobs with their derivative files. The console's own services do the work,
/// isolated to the application, so another application's template or media answers 404.
/// </summary>
internal static class TranscodingApi
{
    public static void MapTranscodingApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/transcode-templates").WithTags("Transcoding");
        templates.MapGet("/", ListTemplatesAsync).Reads().WithName("ListTranscodeTemplates")
            .WithSummary("List the system presets (negative IDs, read-only) and the application's own templates")
            .WithDescription("The presets come first and are the same in every application; then the application's own, by name.");
        templates.MapPost("/", CreateTemplateAsync).Changes().WithName("CreateTranscodeTemplate")
            .WithSummary("Create a template of the application")
            .WithDescription("Name 1–40 characters, unique in the application; Format Hls or Mp4 (for audio only, use the preset); 1–6 renditions (height 144–2160). "
                + "A bad value answers 400 InvalidParameter.{Name} and nothing is stored; more than 50 templates answer 400 FailedOperation.")
            .TakesJson();
        templates.MapPut("/{templateId:long}", UpdateTemplateAsync).Changes().WithName("UpdateTranscodeTemplate")
            .WithSummary("Replace a template's name, format and renditions")
            .WithDescription("With Version, a change made meanwhile answers 409 FailedOperation.VersionConflict and changes nothing. Presets "
                + "cannot be changed (400 FailedOperation). Jobs already queued keep the template as it was.")
            .TakesJson().ProducesApiErrors(409);
        templates.MapDelete("/{templateId:long}", DeleteTemplateAsync).Changes().WithName("DeleteTranscodeTemplate")
            .WithSummary("Delete a template of the application")
            .WithDescription("Answers 204. Refused (400 FailedOperation) while a job uses it or while it is the default processing; "
                + "outputs it made stay.");

        var media = api.MapGroup("/media/{mediaId:long}/transcode-jobs").WithTags("Transcoding");
        media.MapGet("/", ListJobsAsync).Reads().WithName("ListTranscodeJobs")
            .WithSummary("A media item's transcoding jobs, newest first, each with its derivative files")
            .WithDescription("Files are those of each job's latest successful run. A media item that is not the application's answers "
                + "404 ResourceNotFound.Media.");
        media.MapPost("/", StartAsync).Changes().WithName("StartTranscodeJob")
            .WithSummary("Transcode a media item with a template (a preset or the application's own)")
            .WithDescription("Queues one job per media item and template: starting it again re-runs it and its output replaces the previous "
                + "one; a job already queued or running is left alone. Answers the item's jobs. The item must be Normal and a video or "
                + "audio (400 FailedOperation otherwise). Its end is sent as a TranscodeComplete event.")
            .TakesJson();
    }

    private static async Task<Ok<ApiTranscodeTemplateList>> ListTemplatesAsync(TranscodeTemplates templates, CancellationToken ct) =>
        TypedResults.Ok(new ApiTranscodeTemplateList((await templates.ListAsync(ct)).Select(ApiTranscodeTemplate.From).ToList()));

    private static async Task<Ok<ApiTranscodeTemplate>> CreateTemplateAsync(
        TranscodeTemplates templates, ApiTranscodeTemplateEdit request, CancellationToken ct) =>
        TypedResults.Ok(ApiTranscodeTemplate.From(await templates.CreateAsync(request.ToEdit(), ct)));

    private static async Task<Ok<ApiTranscodeTemplate>> UpdateTemplateAsync(
        TranscodeTemplates templates, long templateId, ApiTranscodeTemplateEdit request, CancellationToken ct)
    {
        var version = request.Version ?? (await FindTemplateAsync(templates, templateId, ct)).Version;
        return TypedResults.Ok(ApiTranscodeTemplate.From(await templates.UpdateAsync(templateId, request.ToEdit(), version, ct)));
    }

    private static async Task<NoContent> DeleteTemplateAsync(TranscodeTemplates templates, long templateId, CancellationToken ct)
    {
        await templates.DeleteAsync(templateId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ApiTranscodeJobList>> ListJobsAsync(MediaLibrary library, TranscodeJobs jobs, long mediaId, CancellationToken ct)
    {
        // A media item that is not the application's answers 404, not an empty list.
        _ = await library.FindAsync(mediaId, ct) ?? throw MediaNotFound();
        return TypedResults.Ok(await JobListAsync(jobs, mediaId, ct));
    }

    private static async Task<Ok<ApiTranscodeJobList>> StartAsync(
        MediaLibrary library, TranscodeJobs jobs, long mediaId, ApiTranscodeStart request, CancellationToken ct)
    {
        if (request.TemplateId is not { } templateId)
        {
            throw ApiErrors.Invalid(nameof(ApiTranscodeStart.TemplateId), "Give the TemplateId of a preset or of one of the application's templates.");
        }
        _ = await library.FindAsync(mediaId, ct) ?? throw MediaNotFound();
        await jobs.StartAsync([mediaId], templateId, ct);
        return TypedResults.Ok(await JobListAsync(jobs, mediaId, ct));
    }

    private static async Task<ApiTranscodeJobList> JobListAsync(TranscodeJobs jobs, long mediaId, CancellationToken ct) =>
        new((await jobs.ListForMediaAsync(mediaId, ct)).Select(ApiTranscodeJob.From).ToList());

    private static async Task<TranscodeTemplateView> FindTemplateAsync(TranscodeTemplates templates, long templateId, CancellationToken ct) =>
        (await templates.ListAsync(ct)).FirstOrDefault(t => t.Id == templateId)
        ?? throw ApiErrors.NotFound("TranscodeTemplate", "There is no transcoding template with this ID in this application.");

    private static ApiException MediaNotFound() => ApiErrors.NotFound("Media", "There is no media item with this ID in this application.");
}
