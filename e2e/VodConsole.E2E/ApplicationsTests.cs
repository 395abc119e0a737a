using VodConsole.Core.Applications;

namespace VodConsole.E2E;

public sealed class ApplicationsTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    private async Task<ConsolePage> OpenApplicationsAsync()
    {
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/applications");
        await tab.SignInAsync();
        return tab;
    }

    private static ILocator Row(ConsolePage tab, string name) =>
        tab.Page.GetByTestId("applications-table").Locator("tr", new() { Has = tab.Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    [Fact]
    public async Task A_created_sub_application_shows_in_the_list_and_the_switcher_at_once_and_can_be_renamed()
    {
        var name = $"Created {Guid.NewGuid().ToString("N")[..8]}";
        await using var tab = await OpenApplicationsAsync();

        await tab.Page.GetByTestId("create-application").ClickAsync();
        await tab.Page.GetByTestId("application-name-input").FillAsync(name);
        await tab.Page.GetByTestId("application-description-input").FillAsync("Made in the browser");
        await tab.Page.GetByTestId("application-save").ClickAsync();

        await Expect(Row(tab, name)).ToBeVisibleAsync();
        var id = (await Row(tab, name).GetByTestId("application-id").InnerTextAsync()).Trim();
        await tab.Switcher.ClickAsync();
        await Expect(tab.Page.GetByTestId($"role-option-{id}")).ToContainTextAsync(name);
        await tab.Page.Keyboard.PressAsync("Escape");

        var renamed = name + " renamed";
        await Row(tab, name).GetByTestId("edit-application").ClickAsync();
        await tab.Page.GetByTestId("application-name-input").FillAsync(renamed);
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(Row(tab, renamed)).ToBeVisibleAsync();
        await tab.Switcher.ClickAsync();
        await Expect(tab.Page.GetByTestId($"role-option-{id}")).ToContainTextAsync(renamed);
        await tab.ScreenshotAsync("applications-created");
    }

    [Fact]
    public async Task Markup_is_shown_as_text_and_invisible_or_disguising_characters_are_refused_without_breaking_the_page()
    {
        await using var tab = await OpenApplicationsAsync();
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var markup = $"<img src=x onerror=alert(1)>{Guid.NewGuid().ToString("N")[..6]}";

        await tab.Page.GetByTestId("create-application").ClickAsync();
        var nameInput = tab.Page.GetByTestId("application-name-input");
        await nameInput.FillAsync("report\u202Etxt.exe");
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(tab.Page.GetByText("text-direction override (U+202E)")).ToBeVisibleAsync();
        await nameInput.FillAsync("D\u200Bup");
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(tab.Page.GetByText("zero-width space (U+200B)")).ToBeVisibleAsync();
        await nameInput.FillAsync("   ");
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(tab.Page.GetByText("Enter a name for the application.")).ToBeVisibleAsync();

        await nameInput.FillAsync(markup);
        await tab.Page.GetByTestId("application-description-input").FillAsync("<script>alert('d')</script> 名前 🎬");
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(Row(tab, markup)).ToBeVisibleAsync();
        await Expect(Row(tab, markup)).ToContainTextAsync("<script>alert('d')</script> 名前 🎬");
        await Expect(tab.Page.Locator("img[src='x']")).ToHaveCountAsync(0);
        await tab.Switcher.ClickAsync();
        await Expect(tab.Page.Locator(".role-option-name").Filter(new() { HasText = markup })).ToHaveCountAsync(1);
        await tab.Page.Keyboard.PressAsync("Escape");

        await tab.GotoAsync("/admin/audit");
        await Expect(tab.Page.GetByTestId("audit-target").Filter(new() { HasText = markup }).First).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("An unhandled error has occurred")).ToHaveCountAsync(0);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task A_duplicate_name_and_a_41_character_name_are_refused_with_clear_messages()
    {
        var existing = await server.CreateSubApplicationAsync("Taken");
        await using var tab = await OpenApplicationsAsync();
        await tab.Page.GetByTestId("create-application").ClickAsync();
        var nameInput = tab.Page.GetByTestId("application-name-input");

        await nameInput.FillAsync(new string('x', 41));
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(tab.Page.GetByText("at most 40 are allowed")).ToBeVisibleAsync();

        await nameInput.FillAsync(existing.Name.ToUpperInvariant());
        await tab.Page.GetByTestId("application-save").ClickAsync();
        await Expect(tab.Page.GetByText("already exists")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("applications-duplicate");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        var names = (await server.Get<ApplicationService>().ListAsync()).Select(a => a.Name.ToUpperInvariant()).ToList();
        Assert.Single(names, n => n == existing.Name.ToUpperInvariant());
        Assert.DoesNotContain(new string('X', 41), names);
    }

    [Fact]
    public async Task Disabling_marks_the_application_in_the_list_and_switcher_and_enabling_restores_it()
    {
        var app = await server.CreateSubApplicationAsync("Toggle");
        await using var tab = await OpenApplicationsAsync();

        await Row(tab, app.Name).GetByTestId("disable-application").ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("playback domain stops serving");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();

        await Expect(Row(tab, app.Name).GetByTestId("application-status")).ToHaveTextAsync("Disabled");
        await tab.Switcher.ClickAsync();
        await Expect(tab.Page.GetByTestId($"role-option-{app.Id}")).ToContainTextAsync("(disabled)");
        await tab.Page.Keyboard.PressAsync("Escape");

        await Row(tab, app.Name).GetByTestId("enable-application").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true }).ClickAsync();
        await Expect(Row(tab, app.Name).GetByTestId("application-status")).ToHaveTextAsync("Enabled");
        Assert.Equal(ApplicationStatus.Enabled, (await server.Get<ApplicationService>().FindAsync(app.Id))!.Status);
    }

    [Fact]
    public async Task A_stale_edit_is_told_of_the_conflict_and_shown_the_current_values()
    {
        var app = await server.CreateSubApplicationAsync("Contested");
        await using var tab = await OpenApplicationsAsync();
        await Row(tab, app.Name).GetByTestId("edit-application").ClickAsync();

        // Another administrator saves first.
        await server.Get<ApplicationService>().UpdateAsync(app.Id, app.Name + " (theirs)", "Their description", app.Version);
        await tab.Page.GetByTestId("application-name-input").FillAsync(app.Name + " (mine)");
        await tab.Page.GetByTestId("application-save").ClickAsync();

        await Expect(tab.Page.GetByTestId("edit-conflict")).ToContainTextAsync(app.Name + " (theirs)");
        Assert.Equal(app.Name + " (theirs)", (await server.Get<ApplicationService>().FindAsync(app.Id))!.Name);
    }

    [Fact]
    public async Task Search_by_name_or_id_and_status_filter_narrow_the_list()
    {
        var app = await server.CreateSubApplicationAsync("Findable");
        await using var tab = await OpenApplicationsAsync();
        var search = tab.Page.GetByTestId("applications-search");

        await search.FillAsync(app.Id.ToString());
        await Expect(tab.Page.GetByTestId("application-name")).ToHaveTextAsync([app.Name]);

        await search.FillAsync("no application is called this");
        await Expect(tab.Page.GetByTestId("applications-no-match")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_copy_button_puts_the_plain_id_on_the_clipboard()
    {
        var app = await server.CreateSubApplicationAsync("Copyable");
        await using var tab = await OpenApplicationsAsync();
        await tab.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        await Row(tab, app.Name).GetByTestId("copy-id").ClickAsync();

        await Expect(tab.Page.GetByText($"Copied {app.Id}")).ToBeVisibleAsync();
        Assert.Equal(app.Id.ToString(), await tab.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
    }
}
