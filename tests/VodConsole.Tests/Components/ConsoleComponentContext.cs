using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Components;

/// <summary>
/// A bUnit context whose services are the console's real ones over a temporary SQLite file, with MudBlazor's dialog
/// host rendered, for testing pages as a user drives them.
/// </summary>
public abstract class ConsoleComponentContext : MudTestContext, IAsyncLifetime
{
    private readonly DirectoryInfo directory;
    private readonly TestDatabase database;

    protected ConsoleComponentContext() : this(Directory.CreateTempSubdirectory("vodconsole-bunit-"))
    {
    }

    private ConsoleComponentContext(DirectoryInfo directory) : this(directory, TestDatabase.For(directory.FullName))
    {
    }

    private ConsoleComponentContext(DirectoryInfo directory, TestDatabase database) : base(services =>
    {
        services.AddLogging();
        services.AddVodConsoleCore(database.Options);
        services.AddSingleton<IMediaStorage>(new LocalMediaStorage(Path.Combine(directory.FullName, "media")));
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
    })
    {
        this.directory = directory;
        this.database = database;
        Dialogs = Render<MudDialogProvider>();
    }

    /// <summary>Where MudBlazor renders open dialogs.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }

    public async ValueTask InitializeAsync()
    {
        await database.CreateAsync();
        // Set up as start-up does (system work); a test's page acts for the owner once it enters a role.
        Services.GetRequiredService<RoleContext>().EnterSystem();
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var owner = new ConsoleUser { UserName = "owner@vod.test", Email = "owner@vod.test", IsOwner = true, IsAdministrator = true };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(owner, TestConsole.OwnerPassword);
        await Services.GetRequiredService<AccountService>().EnableSubApplicationsAsync(owner.Id);
        OwnerId = owner.Id;
    }

    /// <summary>The account owner, an Administrator, whom the pages act for.</summary>
    protected string OwnerId { get; private set; } = "";

    /// <summary>Puts the circuit in an application's role, as the layout does before an application page renders.</summary>
    protected async Task EnterApplicationAsync(long applicationId)
    {
        var application = await Services.GetRequiredService<ApplicationService>().FindAsync(applicationId);
        var role = ConsoleRole.For(application!);
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog(OwnerId, "owner@vod.test", true, null, true, BillingMode.Daily, ServiceStatus.Active, [role]), role);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DropAsync();
        directory.Refresh();
        if (directory.Exists)
        {
            directory.Delete(recursive: true);
        }
    }
}
