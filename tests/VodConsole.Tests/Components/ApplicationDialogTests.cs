using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Core.Applications;
using VodConsole.Web.Applications;

namespace VodConsole.Tests.Components;

public sealed class ApplicationDialogTests : ConsoleComponentContext
{
    private async Task<IDialogReference> OpenCreateDialogAsync()
    {
        var dialogService = Services.GetRequiredService<IDialogService>();
        return await Dialogs.InvokeAsync(() => dialogService.ShowAsync<ApplicationDialog>("Create sub-application"));
    }

    private Task SaveAsync() => Dialogs.FindAndClickAsync("[data-testid='application-save']");

    [Fact]
    public async Task An_empty_name_is_answered_with_a_message_and_nothing_is_created()
    {
        await OpenCreateDialogAsync();

        await SaveAsync();

        Dialogs.WaitForAssertion(() => Assert.Contains("Enter a name for the application.", Dialogs.Markup));
        Assert.Single(await Services.GetRequiredService<ApplicationService>().ListAsync());
    }

    [Fact]
    public async Task A_41_character_name_is_answered_with_the_limit()
    {
        await OpenCreateDialogAsync();

        await Dialogs.FindAndInputAsync("input[data-testid='application-name-input']", new string('n', 41));
        await SaveAsync();

        Dialogs.WaitForAssertion(() => Assert.Contains("at most 40 are allowed", Dialogs.Markup));
        Assert.Single(await Services.GetRequiredService<ApplicationService>().ListAsync());
    }

    [Fact]
    public async Task A_duplicate_name_shows_the_services_message_next_to_the_name()
    {
        await Services.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Marketing", null);
        await OpenCreateDialogAsync();

        await Dialogs.FindAndInputAsync("input[data-testid='application-name-input']", "marketing");
        await SaveAsync();

        Dialogs.WaitForAssertion(() => Assert.Contains("already exists", Dialogs.Markup));
        Assert.Equal(2, (await Services.GetRequiredService<ApplicationService>().ListAsync()).Count);
    }

    [Fact]
    public async Task A_valid_name_creates_the_application_and_closes_the_dialog()
    {
        var reference = await OpenCreateDialogAsync();

        await Dialogs.FindAndInputAsync("input[data-testid='application-name-input']", "  Customer B  ");
        await SaveAsync();

        var result = await reference.Result;
        var created = Assert.IsType<Application>(result!.Data);
        Assert.Equal("Customer B", created.Name);
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='application-dialog']")));
    }
}
