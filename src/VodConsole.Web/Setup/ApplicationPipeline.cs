using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using Microsoft.Extensions.Options;
using VodConsole.Core.Setup;
using VodConsole.Web.Api;
using VodConsole.Web.Audit;
using VodConsole.Web.Components;
using VodConsole.Web.Components.Account;
using VodConsole.Web.Instances;
using VodConsole.Web.Media;
using VodConsole.Web.Playback;
using VodConsole.Web.Statistics;
using VodConsole.Web.Chargeback;
using VodConsole.Web.Configuration;
using VodConsole.Web.Transcoding;

namespace VodConsole.Web.Setup;

public static class ApplicationPipeline
{
    /// <summary>
    /// Migrates the database, finishes or rolls back what a crash interrupted (before anything serves or takes work),
    /// and creates what a first start needs: account, primary application, owner, demo data.
    /// </summary>
    public static async Task InitializeVodConsoleAsync(this WebApplication app)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        var services = scope.ServiceProvider;
        var createdNow = await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        if (await MediaStorageProbe.ProblemAsync(services.GetRequiredService<IMediaStorage>()) is { } problem)
        {
            throw new StartupRefusedException(
                $"The media storage does not work, so the console does not start: {problem.TrimEnd('.')}. Check Storage:Provider and its settings (Storage:S3:ServiceUrl, Bucket, AccessKey, SecretKey for S3; the data directory's permissions for local disk).");
        }
        await services.GetRequiredService<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: createdNow);
        await using (await services.GetRequiredService<IStartupLock>().AcquireAsync())
        {
            // Of instances starting together on a new database, one creates the owner and the others find it.
            await services.GetRequiredService<OwnerBootstrap>().EnsureOwnerAsync();
        }
        if (createdNow && services.GetRequiredService<IOptions<SeedOptions>>().Value.DemoData)
        {
            await services.GetRequiredService<DemoDataSeeder>().SeedAsync();
        }
    }

    public static WebApplication UseVodConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UsePlaybackDomain();
        app.UseSecurityHeaders();
        app.UseVodApi();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Explicit, after the status-code pages, so a re-executed "/not-found" passes authentication too.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapStatisticsEndpoints();
        app.MapChargebackEndpoints();
        app.MapConfigurationEndpoints();
        app.MapAuditEndpoints();
        app.MapMediaCoverEndpoint();
        app.MapPlaybackEndpoints();
        app.MapDerivativeEndpoints();
        app.MapMediaUploadEndpoints();
        app.MapVodApi();
        app.MapConsoleHealthChecks();
        return app;
    }
}
