using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.E2E;

/// <summary>Time-limited access and view-as (issue 16, item 4) as people use them on Users & access.</summary>
public sealed class TimeLimitedAccessTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    private async Task<(string Email, string Id)> UserWithAsync(long applicationId, ApplicationAccess access, DateTime? expiresAt = null)
    {
        var email = await server.CreateUserAsync("granted", isAdministrator: false);
        var id = (await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(email))!.Id;
        await server.Get<UserAccessService>().SetAccessAsync(id, false, new Dictionary<long, ApplicationAccess> { [applicationId] = access },
            expiresAt is { } at ? new Dictionary<long, DateTime> { [applicationId] = at } : null);
        return (email, id);
    }

    [Fact]
    public async Task An_expiry_set_in_the_dialog_shows_as_expiring_soon_and_a_short_one_lapses_in_the_users_open_tab()
    {
        var app = await server.CreateSubApplicationAsync("Expiring");
        var other = await server.CreateSubApplicationAsync("Kept");
        var (email, userId) = await UserWithAsync(other.Id, ApplicationAccess.ReadOnly);

        // The administrator gives 8 hours of full access in the dialog: the page says when it ends, and filters by it.
        await using var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/admin/users");
        await admin.SignInAsync(await server.CreateUserAsync("admin"), ConsoleServer.UserPassword);
        await admin.Page.GetByTestId($"user-access-{userId}").ClickAsync();
        await admin.Page.GetByTestId($"grant-select-{app.Id}").ClickAsync();
        await admin.Page.GetByTestId($"grant-option-{app.Id}-full").ClickAsync();
        await admin.Page.GetByTestId($"grant-end-{app.Id}").ClickAsync();
        await admin.Page.GetByTestId($"grant-end-{app.Id}-eighthours").ClickAsync();
        await admin.ScreenshotAsync("users-access-expiry");
        // The list closes once the server took the choice; a save clicked before that could go without it.
        await Expect(admin.Page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await admin.Page.GetByTestId("grant-save").ClickAsync();
        await Expect(admin.Page.GetByTestId("user-access-dialog")).ToHaveCountAsync(0);
        var row = admin.Page.GetByTestId("users-table").Locator("tbody tr").Filter(new() { HasText = email });
        await Expect(row.GetByTestId("grant-expiry")).ToHaveTextAsync($"{app.Name}: expires in 8 h");
        await admin.Page.GetByTestId("users-expiring-filter").ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await Expect(admin.Page.GetByTestId("users-table").Locator("tbody tr").Filter(new() { HasText = ConsoleServer.OwnerEmail })).ToHaveCountAsync(0);

        // An expiry in the past is refused with a clear message.
        await admin.Page.GetByTestId($"user-access-{userId}").ClickAsync();
        await admin.Page.GetByTestId($"grant-end-{app.Id}").ClickAsync();
        await admin.Page.GetByTestId($"grant-end-{app.Id}-until").ClickAsync();
        await Expect(admin.Page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await admin.Page.GetByTestId($"grant-until-{app.Id}").FillAsync("2020-01-01T09:00");
        await admin.Page.Keyboard.PressAsync("Tab");
        await admin.Page.GetByTestId("grant-save").ClickAsync();
        await Expect(admin.Page.GetByTestId("access-error")).ToContainTextAsync("is already past");
        await admin.Page.Keyboard.PressAsync("Escape");

        // The user works in the application; the grant is set to end in 10 seconds: their open tab follows by itself.
        await using var user = await fixture.NewPageAsync();
        await user.GotoAsync($"/apps/{app.Id}/media");
        await user.SignInAsync(email, ConsoleServer.UserPassword);
        await Expect(user.Page.GetByTestId("nav-upload")).ToBeVisibleAsync();
        await server.Get<UserAccessService>().SetAccessAsync(userId, false,
            new Dictionary<long, ApplicationAccess> { [app.Id] = ApplicationAccess.Full, [other.Id] = ApplicationAccess.ReadOnly },
            new Dictionary<long, DateTime> { [app.Id] = DateTime.UtcNow.AddSeconds(10) });

        await Expect(user.Page.GetByText("Not found").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(user.Page.GetByTestId("nav-upload")).ToHaveCountAsync(0);
        await user.Switcher.ClickAsync();
        await Expect(user.Page.GetByTestId($"role-option-{other.Id}")).ToBeVisibleAsync();
        await Expect(user.Page.Locator("[data-testid^='role-option-']")).ToHaveCountAsync(1);
        await Expect(user.Page.GetByTestId($"role-option-{other.Id}")).ToBeVisibleAsync();

        // The application's audit log records the lapse, by the system.
        await admin.GotoAsync($"/apps/{app.Id}/audit");
        var lapse = admin.Page.GetByTestId("audit-table").Locator("tr").Filter(new() { HasText = VodConsole.Core.Audit.AuditActions.AccessLapsed });
        await Expect(lapse.GetByTestId("audit-actor")).ToHaveTextAsync("system");
        await Expect(lapse.GetByTestId("audit-target")).ToHaveTextAsync($"User {email}");
    }

    [Fact]
    public async Task An_administrator_views_as_a_user_sees_their_console_is_refused_every_change_and_stops()
    {
        var app = await server.CreateSubApplicationAsync("Viewed");
        await server.CreateSubApplicationAsync("Hidden");
        var (email, userId) = await UserWithAsync(app.Id, ApplicationAccess.Full);

        await using var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/admin/users");
        await admin.SignInAsync(await server.CreateUserAsync("viewer"), ConsoleServer.UserPassword);
        var row = admin.Page.GetByTestId("users-table").Locator("tbody tr").Filter(new() { HasText = email });
        await row.GetByTestId("user-view-as").ClickAsync();
        await Expect(admin.Page.GetByTestId("confirm-message")).ToContainTextAsync("can change nothing");
        await admin.Page.GetByTestId("confirm-yes").ClickAsync();

        // The console as they see it: their one application, marked, with a way back.
        var banner = admin.Page.GetByTestId("view-as-banner");
        await Expect(banner).ToContainTextAsync($"Viewing as {email} — read-only");
        await Expect(admin.CurrentRole).ToHaveTextAsync(app.Name);
        // The start loads "/" afresh, which then opens their application's overview: the tab is settled only there.
        await Expect(admin.Page).ToHaveURLAsync(server.Url($"/apps/{app.Id}/overview"));
        await admin.WaitForInteractiveAsync();
        await admin.Switcher.ClickAsync();
        await Expect(admin.Page.GetByTestId($"role-option-{app.Id}")).ToBeVisibleAsync();
        await Expect(admin.Page.Locator("[data-testid^='role-option-']")).ToHaveCountAsync(1);
        await admin.Page.Keyboard.PressAsync("Escape");
        await admin.ScreenshotAsync("view-as");

        // Their pages offer changes (they have full access), and the console refuses each one, saying why.
        await admin.GotoAsync($"/apps/{app.Id}/media");
        await Expect(banner).ToBeVisibleAsync(); // a reload keeps the view: the database holds it
        await admin.Page.GetByTestId("categories-open").ClickAsync();
        await admin.Page.GetByTestId("category-name-input").FillAsync("Not allowed");
        await admin.Page.GetByTestId("category-name-input").PressAsync("Enter");
        await Expect(admin.Page.GetByTestId("categories-dialog")).ToContainTextAsync(AccessPolicy.ViewAsMessage(email));
        await Expect(admin.Page.GetByTestId("category-row")).ToHaveCountAsync(0);
        await admin.Page.GetByTestId("categories-close").ClickAsync();

        await banner.GetByTestId("view-as-stop").ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(server.Url("/admin/users"));
        await Expect(admin.Page.GetByTestId("users-table")).ToContainTextAsync(email);
        await Expect(banner).ToHaveCountAsync(0);
    }
}
