using MudBlazor;

namespace VodConsole.Web.Components.Shared;

/// <summary>
/// Every "are you sure?" in the console goes through here, so confirmations look and behave alike: the question as the
/// title, what will happen, Cancel, and a confirm button named after the action.
/// </summary>
public static class Confirmations
{
    /// <summary>Asks before an action; true when confirmed.</summary>
    /// <param name="destructive">
    /// The action removes, stops or invalidates something people or systems rely on (delete, disable, lock, a new key):
    /// its button is red. Required, so every caller decides.
    /// </param>
    /// <param name="dismissText">The button that changes nothing; another word than "Cancel" where the action itself is a cancellation.</param>
    public static async Task<bool> ConfirmAsync(
        this IDialogService dialogs, string title, string message, string confirmText, bool destructive, string dismissText = "Cancel")
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.DismissText, dismissText },
            { d => d.Destructive, destructive },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, Options);
        return await dialog.Result is { Canceled: false };
    }

    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true };
}
