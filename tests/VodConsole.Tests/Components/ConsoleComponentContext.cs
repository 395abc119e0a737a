using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Accounts;
using VodConsole.Core.Data;
using VodConsole.Core.Setup;

namespace VodConsole.Tests.Components;

/// <summary>
/// A bUnit context whose services are the console's real ones over a temporary SQLite file, with MudBlazor's dialog
/// host rendered, for testing pages as a user drives them.
/// </summary>
public abstract class ConsoleComponentContext : MudTestContext, IAsyncLifetime
{
    private readonly DirectoryInfo directory;

    protected ConsoleComponentContext() : this(Directory.CreateTempSubdirectory("vodconsole-bunit-"))
    {
    }

    private ConsoleComponentContext(DirectoryInfo directory) : base(services =>
    {
        services.AddLogging();
        services.AddVodConsoleCore($"Data Source={Path.Combine(directory.FullName, "console.db")}");
    })
    {
        this.directory = directory;
        Dialogs = Render<MudDialogProvider>();
    }

    /// <summary>Where MudBlazor renders open dialogs.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }

    public async ValueTask InitializeAsync()
    {
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var owner = new ConsoleUser { UserName = "owner@vod.test", Email = "owner@vod.test", IsOwner = true };
        await Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>>().CreateAsync(owner, TestConsole.OwnerPassword);
        await Services.GetRequiredService<AccountService>().EnableSubApplicationsAsync(owner.Id);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        directory.Refresh();
        if (directory.Exists)
        {
            directory.Delete(recursive: true);
        }
    }
}
