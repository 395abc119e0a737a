using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Instances;

/// <summary>
/// Health endpoints for a load balancer, anonymous and without application data: <c>/health/live</c> answers 200 while
/// the process serves requests; <c>/health/ready</c> answers 200 only when the database answers a query and the media
/// storage takes, returns and removes a tiny file, and 503 otherwise (the balancer sends the instance no new users). It
/// answers 200 "Degraded" while the instance does not hear the other instances' changes (its change feed reconnects):
/// it still serves its users, whose tabs learn of another instance's grant changes at their next navigation meanwhile.
/// </summary>
public static class ConsoleHealthChecks
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddConsoleHealthChecks(this IHealthChecksBuilder checks) => checks
        .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
        .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
        .AddCheck<ChangeFeedHealthCheck>("change feed", tags: [ReadyTag]);

    public static void MapConsoleHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        // GET and HEAD only, so the endpoint matrix lists them and nothing else reaches them.
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(new HttpMethodMetadata(methods)).AllowAnonymous().DisableHttpMetrics();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(methods)).AllowAnonymous().DisableHttpMetrics();
    }

    private sealed class DatabaseHealthCheck(IDbContextFactory<VodDbContext> factory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            // A query on a console table, not only a connection: a database without the console's schema is not ready.
            await db.Accounts.AsNoTracking().AnyAsync(ct);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class StorageHealthCheck(IMediaStorage storage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            await MediaStorageProbe.ProblemAsync(storage, ct) is { } problem
                ? HealthCheckResult.Unhealthy("The media storage does not work: " + problem)
                : HealthCheckResult.Healthy();
    }

    internal sealed class ChangeFeedHealthCheck(IChangeFeed feed) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(feed.IsListening
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("The change feed does not listen: other instances' changes reach this one's tabs late."));
    }
}
