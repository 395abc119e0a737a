using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using VodConsole.Web.Components.Shared;

namespace VodConsole.Tests.Components;

public sealed class ConfirmationsTests : MudTestContext
{
    private readonly IRenderedComponent<MudDialogProvider> dialogs;

    public ConfirmationsTests() => dialogs = Render<MudDialogProvider>();

    private Task<bool> Ask(bool destructive) => dialogs.InvokeAsync(() =>
        Services.GetRequiredService<IDialogService>().ConfirmAsync("Delete the thing?", "It is gone for good.", "Delete", destructive));

    [Theory]
    [InlineData(true, "mud-button-filled-error")]
    [InlineData(false, "mud-button-filled-primary")]
    public async Task The_confirm_button_is_red_only_for_a_destructive_action_and_confirming_answers_true(bool destructive, string colour)
    {
        var answer = Ask(destructive);
        dialogs.WaitForAssertion(() => Assert.Contains("It is gone for good.", dialogs.Markup));
        var confirm = dialogs.Find("[data-testid='confirm-yes']");

        Assert.Contains(colour, confirm.ClassName);
        Assert.Equal("Delete", confirm.TextContent.Trim());
        await dialogs.FindAndClickAsync("[data-testid='confirm-yes']");
        Assert.True(await answer);
    }

    [Fact]
    public async Task Dismissing_answers_false()
    {
        var answer = Ask(destructive: true);
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid='confirm-cancel']")));

        await dialogs.FindAndClickAsync("[data-testid='confirm-cancel']");

        Assert.False(await answer);
    }
}
