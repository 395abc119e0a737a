using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using MudBlazor;
using MudBlazor.Services;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Network;
using VodConsole.Core.Setup;
using VodConsole.Core.Transcoding;
using VodConsole.Web.Api;
using VodConsole.Web.Callbacks;
using VodConsole.Web.Components.Account;
using VodConsole.Web.Instances;
using VodConsole.Web.Media;
using VodConsole.Web.Packages;
using VodConsole.Web.Playback;
using VodConsole.Web.Transcoding;

namespace VodConsole.Web.Setup;

/// <summary>Every service the console registers, in one place, so Program.cs reads as a table of contents.</summary>
public static class ServiceRegistration
{
    public static WebApplicationBuilder AddVodConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.Configure<BootstrapOptions>(configuration.GetSection(BootstrapOptions.Section));
        services.Configure<SeedOptions>(configuration.GetSection(SeedOptions.Section));
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.Configure<MediaOptions>(configuration.GetSection(MediaOptions.Section));
        services.Configure<NetworkOptions>(configuration.GetSection(NetworkOptions.Section));
        services.AddOptions<CallbackOptions>().Bind(configuration.GetSection(CallbackOptions.Section))
            .Validate(o => o.RetentionDays >= 1, $"{CallbackOptions.Section}:{nameof(CallbackOptions.RetentionDays)} must be at least 1.")
            .ValidateOnStart();
        services.Configure<TestingOptions>(configuration.GetSection(TestingOptions.Section));
        services.Configure<ProcessingOptions>(configuration.GetSection(ProcessingOptions.Section));

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Notifications at the bottom right: the top right holds each page's own buttons, which a message must not cover.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);

        var dataDirectory = DataDirectory.Resolve(configuration, builder.Environment);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(sp => MediaStorageFactory.Create(storage, dataDirectory, sp.GetRequiredService<TimeProvider>()));
        var database = Database(configuration, dataDirectory);
        services.AddChangeFeed(database); // before the core, whose in-process feed is the default
        services.AddVodConsoleCore(database).AddSignInManager().AddDefaultTokenProviders();
        services.AddDataProtection().SetApplicationName("VodConsole").PersistKeysToDbContext<VodDbContext>();
        services.AddConsoleAuthentication();
        services.Configure<InstanceOptions>(configuration.GetSection(InstanceOptions.Section));
        services.AddHostedService<InstanceHeartbeatWorker>(); // first, so it stops last: the job workers' leases go back before it signs off
        services.AddHealthChecks().AddConsoleHealthChecks();
        services.AddHostedService<PackageSettlementWorker>();
        services.AddHostedService<VodConsole.Web.Budgets.BudgetWorker>();
        services.AddHostedService<MediaProcessingWorker>();
        services.AddHostedService<MediaPullWorker>();
        services.AddHostedService<StorageMaintenanceWorker>();
        services.AddHostedService<TranscodeWorker>();
        services.AddVodApi();
        services.AddHostedService<CallbackDeliveryWorker>();
        services.AddHostedService<CallbackRetentionWorker>();
        services.AddHostedService<PlaybackMeterWorker>();
        services.AddHostedService<VodConsole.Web.Access.AccessLapseWorker>();
        return builder;
    }

    /// <summary>
    /// <c>Database:Provider</c> and <c>ConnectionStrings:Default</c>. SQLite without a connection string uses
    /// <c>vodconsole.db</c> in the data directory; PostgreSQL has no such default, so it must be given.
    /// </summary>
    internal static DatabaseOptions Database(IConfiguration configuration, string dataDirectory)
    {
        var provider = DatabaseOptions.ParseProvider(configuration["Database:Provider"]);
        var configured = configuration.GetConnectionString("Default");
        if (provider == DatabaseProvider.Postgres)
        {
            return string.IsNullOrWhiteSpace(configured)
                ? throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:Default is empty; give it, e.g. 'Host=db;Database=vodconsole;Username=vod;Password=...'.")
                : DatabaseOptions.Postgres(configured);
        }
        return DatabaseOptions.Sqlite(string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "vodconsole.db") }.ToString()
            : configured);
    }

    private static void AddConsoleAuthentication(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<TwoFactorSignIn>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.Cookie.Name = "VodConsole.Auth";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
        });
        // Every request checks the cookie's security stamp against the database (one indexed query), not Identity's
        // default of every 30 minutes: a password reset, a lock or a removal ends the user's other sessions at once.
        services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<ISecurityStampValidator, SignInCookieValidator>();
        services.AddAuthorization();
    }
}
