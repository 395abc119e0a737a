namespace VodConsole.E2E;

public sealed class NotFoundTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("/apps/1234567/overview")]
    [InlineData("/apps/not-a-number/overview")]
    [InlineData("/admin/no-such-page")]
    [InlineData("/no-such-page")]
    public async Task Unknown_routes_and_applications_show_not_found(string path)
    {
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        await tab.GotoAsync(path);

        await Expect(tab.Page.GetByText("Not found", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(tab.CurrentRole).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Following_a_link_to_a_missing_application_inside_the_console_shows_not_found()
    {
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/overview");
        await tab.SignInAsync();

        // Client-side navigation (no reload): the circuit resolves the role and refuses it.
        await tab.Page.EvaluateAsync("() => Blazor.navigateTo('/apps/1999999998/overview')");

        await Expect(tab.Page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("detail-id")).ToHaveCountAsync(0);
    }
}
