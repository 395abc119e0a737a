using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Network;
using VodConsole.Core.Packages;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Budgets;
using VodConsole.Core.Playback;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup.Demo;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

public static class CoreServiceRegistration
{
    /// <summary>
    /// The data layer and every domain service, shared by the web host and the tests. Returns Identity's builder so the
    /// web host can add what only it needs (sign-in manager, token providers).
    /// </summary>
    public static IdentityBuilder AddVodConsoleCore(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddSingleton(database);
        // Every save brings the search index up to date; on SQLite every connection reads the file through a memory map.
        services.AddDbContextFactory<VodDbContext>((provider, options) =>
        {
            database.Apply(options).AddInterceptors(
                new MediaSearchFollower(provider.GetRequiredService<IMediaSearchIndex>()), provider.GetRequiredService<ChangeFeedRecorder>(),
                provider.GetRequiredService<PlaybackRuleInvalidator>());
            if (database.IsSqlite)
            {
                options.AddInterceptors(new SqliteMemoryMap());
            }
            else
            {
                options.AddInterceptors(PostgresJobClaimQuery.Interceptor);
            }
        });
        // Committed changes reach open tabs; this process's only, unless the host registered a feed across instances.
        services.TryAddSingleton<IChangeFeed, LocalChangeFeed>();
        services.TryAddSingleton<ChangeFeedRecorder>();
        services.TryAddSingleton<PlaybackRuleCache>();
        services.TryAddSingleton<PlaybackRuleInvalidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApplicationIdGenerator>();

        services.AddScoped<ApplicationService>();
        services.AddScoped<AccountService>();
        services.AddScoped<RoleResolver>();
        services.AddScoped<RoleCatalogWatch>();
        services.AddScoped<RoleContext>();
        services.AddScoped<AccessPolicy>();
        services.AddScoped<UserAccessService>();
        services.AddScoped<ViewAsService>();
        services.AddScoped<AccessLapses>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<ApplicationData>();
        services.AddScoped<MediaLibrary>();
        services.AddScoped<AuditLog>();
        services.AddScoped<MediaEditor>();
        services.AddScoped<MediaCategories>();
        services.AddScoped<MediaMover>();
        services.AddScoped<CrossApplicationMediaSearch>();
        // What each engine does its own way (docs/decisions/0015-postgresql-provider.md).
        if (database.IsSqlite)
        {
            services.TryAddSingleton<IMediaSearchIndex, SqliteMediaSearchIndex>();
            services.TryAddSingleton<IStartupLock, SqliteStartupLock>();
            services.TryAddSingleton<IJobClaimQuery, SqliteJobClaimQuery>();
        }
        else
        {
            services.TryAddSingleton<IMediaSearchIndex, PostgresMediaSearchIndex>();
            services.TryAddSingleton<IStartupLock, PostgresStartupLock>();
            services.TryAddSingleton<IJobClaimQuery, PostgresJobClaimQuery>();
        }
        services.AddScoped<UsageRecorder>();
        services.TryAddSingleton<PlaybackMeter>();
        services.AddScoped<UsageReport>();
        services.AddScoped<ServiceOverviewReport>();
        services.AddScoped<StatisticsService>();
        services.AddScoped<PackageLedger>();
        services.AddScoped<ChargebackService>();
        services.AddScoped<BudgetService>();
        services.AddScoped<VodConsole.Core.Configuration.ConfigurationService>();
        services.AddScoped<BudgetMonitor>();
        services.TryAddSingleton<BudgetSignal>();
        services.AddScoped<PlaybackSettingsService>();
        services.AddScoped<PlaybackGate>();
        services.TryAddSingleton<MediaProcessingSignal>();
        services.TryAddSingleton(new MediaProbe());
        services.AddScoped<MediaUploadService>();
        services.AddScoped<MediaCovers>();
        services.AddScoped<MediaProcessor>();
        services.TryAddSingleton<MediaPullSignal>();
        services.AddScoped<MediaPullService>();
        services.AddScoped<MediaPuller>();
        services.TryAddSingleton<TranscodeSignal>();
        services.TryAddSingleton<FfmpegTranscoder>();
        services.AddScoped<TranscodeTemplates>();
        services.AddScoped<TranscodeJobs>();
        services.AddScoped<TranscodeRunner>();
        services.AddScoped<MediaReview>();
        services.AddScoped<TranscodeMetering>();
        services.AddOutboundHttpClient();
        services.TryAddSingleton<CallbackSignal>();
        services.AddScoped<CallbackEvents>();
        services.AddScoped<CallbackSettingsService>();
        services.AddScoped<CallbackLog>();
        services.AddScoped<CallbackQueue>();
        services.AddScoped<CallbackDelivery>();
        services.AddScoped<CallbackRetention>();

        services.AddScoped<ApiKeyService>();
        services.AddScoped<ApiKeySecrets>();
        services.AddScoped<ApiKeyRoles>();
        services.AddScoped<ApiNonceStore>();
        services.AddScoped<ApiRequestVerifier>();
        services.AddScoped<ApiUploadService>();

        services.AddScoped<MediaFileReconciler>();
        services.AddScoped<UsageReconciler>();
        services.AddScoped<CrashRecovery>();
        services.TryAddSingleton(_ => new InstanceIdentity());
        services.AddScoped<InstanceRegistry>();
        services.AddScoped<JobLeases>();
        services.AddScoped<PeriodLeases>();
        services.TryAddSingleton<CrashPoints>();

        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<OwnerBootstrap>();
        services.AddScoped<DemoDataSeeder>();
        services.TryAddSingleton<DemoClips>();

        // The authenticator provider is here, not only in the web host's default providers: TwoFactorService needs it.
        return services.AddIdentityCore<ConsoleUser>(ConfigureIdentity)
            .AddEntityFrameworkStores<VodDbContext>()
            .AddTokenProvider<AuthenticatorTokenProvider<ConsoleUser>>(TokenOptions.DefaultAuthenticatorProvider);
    }

    /// <summary>Sign-in rules. Unlike the template default, failed sign-ins count: the fifth locks the account.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version2;
        options.User.RequireUniqueEmail = true;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Password.RequiredLength = 10;
    }
}
