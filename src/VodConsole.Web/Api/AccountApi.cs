using Microsoft.AspNetCore.Http.HttpResults;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;
using VodConsole.Core.Usage;

namespace VodConsole.Web.Api;

/// <summary>The account's applications (account keys only), and the usage statistics of the <c>SubAppId</c> application.</summary>
internal static class AccountApi
{
    public static void MapAccountApi(this RouteGroupBuilder api)
    {
        var applications = api.MapGroup("/applications").WithTags("Applications");
        applications.MapGet("/", ListApplicationsAsync).ForAccountKeys().WithName("ListApplications")
            .WithSummary("Every application of the account, the primary one first (account keys only)")
            .WithDescription("An application key answers 403 Forbidden.AccountKeyOnly. SubAppId plays no part.");
        applications.MapGet("/{subAppId:long}", GetApplicationAsync).ForAccountKeys().WithName("GetApplication")
            .WithSummary("One application (account keys only)")
            .WithDescription("An unknown ID answers 404 ResourceNotFound.Application.");

        api.MapGet("/statistics", StatisticsAsync).Reads().WithTags("Statistics").WithName("GetStatistics")
            .WithSummary("One usage metric of the application per UTC day")
            .WithDescription("The daily values from From to To (at most 731 days, not after today) and their Summary, combined as "
                + "Aggregation says: levels (storage, media count) take the last day, peaks the highest, the rest add up.");
    }

    private static async Task<Ok<ApiApplicationList>> ListApplicationsAsync(
        AccessPolicy access, ApplicationService applications, CancellationToken ct)
    {
        await access.RequireAdministratorAsync(ct);
        return TypedResults.Ok(new ApiApplicationList((await applications.ListAsync(ct)).Select(ApiApplication.From).ToList()));
    }

    private static async Task<Ok<ApiApplication>> GetApplicationAsync(
        AccessPolicy access, ApplicationService applications, long subAppId, CancellationToken ct)
    {
        await access.RequireAdministratorAsync(ct);
        var application = await applications.FindAsync(subAppId, ct)
            ?? throw ApiErrors.NotFound("Application", $"There is no application {subAppId}.");
        return TypedResults.Ok(ApiApplication.From(application));
    }

    /// <param name="Metric">StorageBytes, MediaCount, TrafficBytes, PeakBandwidthBps, TranscodeSeconds, ReviewSeconds, Plays, or a transcoding tier: TranscodeSecondsSd, TranscodeSecondsHd, TranscodeSecondsFhd, TranscodeSeconds2K, TranscodeSeconds4K, TranscodeSecondsAudio.</param>
    /// <param name="From">The first UTC day, yyyy-MM-dd.</param>
    /// <param name="To">The last UTC day, yyyy-MM-dd (at most 731 days after From, not after today).</param>
    private static async Task<Ok<ApiStatistics>> StatisticsAsync(
        StatisticsService statistics, RoleContext roles, TimeProvider clock, string? Metric, string? From, string? To, CancellationToken ct)
    {
        var applicationId = roles.CurrentApplicationId;
        var query = StatisticsQuery.Parse(Metric, From, To, clock);
        var loaded = await statistics.LoadAsync(query, applicationId, ct);
        var usage = loaded.Applications.SingleOrDefault(a => a.ApplicationId == applicationId);
        var days = loaded.Days.Select((day, i) => new ApiDailyValue(day, usage?.Daily[i] ?? 0)).ToList();
        return TypedResults.Ok(new ApiStatistics(applicationId, query.Metric, query.Range.From, query.Range.To,
            UsageMetrics.AggregationOf(query.Metric), usage?.Summary ?? 0, days));
    }
}
