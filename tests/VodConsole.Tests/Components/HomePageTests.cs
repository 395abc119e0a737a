using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Roles;
using VodConsole.Web.Components.Pages;

namespace VodConsole.Tests.Components;

/// <summary>"/" sends the user to their default role, or says they have none yet instead of going round in circles.</summary>
public sealed class HomePageTests() : MudTestContext(services => services.AddScoped<RoleContext>())
{
    private void EnterCatalog(params ConsoleRole[] roles) =>
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog("user", "user@vod.test", false, null, true, BillingMode.Daily, ServiceStatus.Active, roles), null);

    [Fact]
    public void A_user_without_any_grant_is_told_to_ask_an_administrator_and_stays()
    {
        EnterCatalog();

        var home = Render<Home>();

        Assert.Contains("ask an administrator", home.Find("[data-testid='no-access']").TextContent);
        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void A_user_with_one_read_only_application_opens_it()
    {
        EnterCatalog(new ConsoleRole(1500000042, "Customer A", ApplicationKind.Sub, ApplicationStatus.Enabled, false, ApplicationAccess.ReadOnly));

        Render<Home>();

        Assert.Equal("http://localhost/apps/1500000042/overview", Services.GetRequiredService<NavigationManager>().Uri);
    }
}
