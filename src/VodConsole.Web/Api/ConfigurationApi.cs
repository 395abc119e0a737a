using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Api;
using VodConsole.Core.Configuration;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Api;

/// <summary>
/// Configuration templates of the <c>SubAppId</c> application: export its configuration document, and preview or apply
/// sections of a document (another application's export, or one kept with the client's code) to it. The console's
/// <see cref="ConfigurationService"/> does the work, so the rules, the audit entry and the key handling are the page's.
/// </summary>
internal static class ConfigurationApi
{
    public static void MapConfigurationApi(this RouteGroupBuilder api)
    {
        var configuration = api.MapGroup("/configuration").WithTags("Configuration");
        configuration.MapGet("/", ExportAsync).Reads().WithName("ExportConfiguration")
            .WithSummary("Export the application's configuration as a versioned document")
            .WithDescription("Document is the JSON document docs/configuration.md describes (schemaVersion 1, camelCase names, as the console's "
                + "download): playback signing, callbacks, transcoding templates and default processing, review mode, categories. It never "
                + "holds a key: neither the URL-signing key nor the callback key.");
        configuration.MapPost("/preview", PreviewAsync).Changes().WithName("PreviewConfiguration")
            .WithSummary("Preview what applying sections of a document would change in the application")
            .WithDescription("Changes nothing. Answers each item that would change (Added or Changed: applying never deletes a template or "
                + "category), Notes on keys (never copied: the application keeps its own, or gets a new one) and on what stays, and the "
                + "Fingerprint to send to apply. A document that is not one answers 400 InvalidParameter.Document; sections the "
                + "application cannot take (a rule of its own, such as at most 50 templates) answer 400 FailedOperation.")
            .TakesJson();
        configuration.MapPost("/apply", ApplyAsync).Changes().WithName("ApplyConfiguration")
            .WithSummary("Apply sections of a document to the application, in one transaction")
            .WithDescription("Writes the changes a preview shows, all or none, and records one configuration.apply audit entry (none when "
                + "nothing changes: Outcome NothingToChange). With Fingerprint (from the preview), an application changed since answers "
                + "409 FailedOperation.VersionConflict and changes nothing. Errors as for the preview.")
            .TakesJson().ProducesApiErrors(409);
    }

    private static async Task<Ok<ApiConfigurationExport>> ExportAsync(ConfigurationService configurations, RoleContext roles, CancellationToken ct) =>
        TypedResults.Ok(new ApiConfigurationExport((await configurations.ExportAsync(roles.CurrentApplicationId, ct)).ToJsonElement()));

    private static async Task<Ok<ApiConfigurationPreview>> PreviewAsync(
        ConfigurationService configurations, RoleContext roles, ApiConfigurationApply request, CancellationToken ct)
    {
        var target = (await PreviewOfAsync(configurations, roles, request, ct)).Targets.Single();
        return TypedResults.Ok(new ApiConfigurationPreview(target.ApplicationId, target.Fingerprint, ApiConfigurationChange.From(target.Changes), target.Notes));
    }

    private static async Task<Ok<ApiConfigurationApplied>> ApplyAsync(
        ConfigurationService configurations, RoleContext roles, ApiConfigurationApply request, CancellationToken ct)
    {
        var preview = await PreviewOfAsync(configurations, roles, request, ct);
        var target = preview.Targets.Single();
        if (request.Fingerprint is { } fingerprint)
        {
            // The caller's preview stands for what it agreed to: apply only if the application still matches it.
            preview = preview with { Targets = [target with { Fingerprint = fingerprint.Trim() }] };
        }
        var result = (await configurations.ApplyAsync(preview, ct)).Single();
        return result.Outcome switch
        {
            ApplyOutcome.Applied or ApplyOutcome.NothingToChange => TypedResults.Ok(new ApiConfigurationApplied(
                result.ApplicationId, result.Outcome, ApiConfigurationChange.From(result.Changes), target.Notes)),
            ApplyOutcome.Stale => throw new ApiException(ApiErrors.VersionConflict, 409, result.Message),
            _ => throw new ApiException(ApiErrors.FailedOperation, 400, result.Message),
        };
    }

    /// <summary>The preview of the request's document onto the <c>SubAppId</c> application; its rules broken answer 400.</summary>
    private static async Task<ConfigurationPreview> PreviewOfAsync(
        ConfigurationService configurations, RoleContext roles, ApiConfigurationApply request, CancellationToken ct)
    {
        if (request.Document is not { ValueKind: JsonValueKind.Object } document)
        {
            throw ApiErrors.Invalid(ConfigurationDocument.Field, "Send the configuration document as Document: a JSON object, as GET /configuration answers it.");
        }
        var preview = await configurations.PreviewAsync(
            ConfigurationDocument.Parse(document.GetRawText()), request.Sections ?? [], [roles.CurrentApplicationId], ct);
        return preview.Targets.Single().Problem is { } problem
            ? throw new ApiException(ApiErrors.FailedOperation, 400, problem)
            : preview;
    }
}

/// <summary>The <c>SubAppId</c> application's configuration.</summary>
/// <param name="Document">The configuration document (docs/configuration.md): schemaVersion, application, exportedAt, playback, callbacks, transcoding, review and categories, with camelCase names; never a key.</param>
public sealed record ApiConfigurationExport(JsonElement Document);

/// <summary>Sections of a configuration document to preview or apply to the <c>SubAppId</c> application.</summary>
/// <param name="Document">A configuration document, as ExportConfiguration answers it (another application's, or one edited and kept with your code).</param>
/// <param name="Sections">The sections to apply, at least one: Playback, Callbacks, Transcoding, Review, Categories.</param>
/// <param name="Fingerprint">Apply only: the Fingerprint of the preview the client agreed to; if the application changed since, 409 and nothing changes. Without it, apply does what a preview would show now.</param>
public sealed record ApiConfigurationApply(JsonElement Document, IReadOnlyList<ConfigSection>? Sections, string? Fingerprint) : IApiRequestBody;

/// <summary>One item of the application's configuration that applying changes.</summary>
/// <param name="Section">Playback, Callbacks, Transcoding, Review or Categories.</param>
/// <param name="Setting">The setting, as the console's comparison names it: Review mode, Template: Web, Category: News, and so on.</param>
/// <param name="Current">Its value in the application before; null when the application does not have it.</param>
/// <param name="New">Its value after applying.</param>
/// <param name="Kind">Added (the application did not have it) or Changed; applying never deletes.</param>
public sealed record ApiConfigurationChange(ConfigSection Section, string Setting, string? Current, string? New, DifferenceKind Kind)
{
    public static IReadOnlyList<ApiConfigurationChange> From(IEnumerable<ConfigurationRow> rows) =>
        rows.Select(r => new ApiConfigurationChange(r.Section, r.Item, r.Left, r.Right, r.Kind ?? DifferenceKind.Changed)).ToList();
}

/// <summary>What applying would change in the <c>SubAppId</c> application.</summary>
/// <param name="SubAppId">The application.</param>
/// <param name="Fingerprint">The application's configuration now; send it to apply to refuse a change made meanwhile.</param>
/// <param name="Changes">Each item that would change; empty when the application already has this configuration.</param>
/// <param name="Notes">What is not copied or stays as it is: keys (kept, or new ones generated), the application's own templates and categories.</param>
public sealed record ApiConfigurationPreview(long SubAppId, string Fingerprint, IReadOnlyList<ApiConfigurationChange> Changes, IReadOnlyList<string> Notes);

/// <summary>What applying changed in the <c>SubAppId</c> application.</summary>
/// <param name="SubAppId">The application.</param>
/// <param name="Outcome">Applied (in one transaction, with one configuration.apply audit entry) or NothingToChange.</param>
/// <param name="Changes">Each item that changed.</param>
/// <param name="Notes">What was not copied or stayed as it was, as in the preview.</param>
public sealed record ApiConfigurationApplied(long SubAppId, ApplyOutcome Outcome, IReadOnlyList<ApiConfigurationChange> Changes, IReadOnlyList<string> Notes);
