using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace VodConsole.Tests.Components;

/// <summary>
/// Finds an element and fires its event in one step on the renderer. Found first and fired later, a render in between
/// (a page's data arriving, MudBlazor's own after-render updates) can replace the element's handler, and bUnit then
/// fails with "no event handler with ID …": a flaky test.
/// </summary>
public static class RenderedEvents
{
    public static Task FindAndClickAsync<T>(this IRenderedComponent<T> rendered, string selector) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Click());

    public static Task FindAndChangeAsync<T>(this IRenderedComponent<T> rendered, string selector, object value) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Change(value));

    public static Task FindAndInputAsync<T>(this IRenderedComponent<T> rendered, string selector, object value) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Input(value));

    public static Task FindAndSubmitAsync<T>(this IRenderedComponent<T> rendered, string selector) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Submit());

    /// <summary>Clicks the one element of <paramref name="selector"/> that <paramref name="match"/> picks, for elements told apart only by their content.</summary>
    public static Task FindSingleAndClickAsync<T>(this IRenderedComponent<T> rendered, string selector, Func<IElement, bool> match) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.FindAll(selector).Single(match).Click());

    /// <summary>Clicks the one button that reads <paramref name="text"/>: MudBlazor's message boxes name their buttons by text only.</summary>
    public static Task FindButtonAndClickAsync<T>(this IRenderedComponent<T> rendered, string text) where T : IComponent =>
        rendered.FindSingleAndClickAsync("button", b => b.TextContent.Trim() == text);

    /// <summary>Inputs into the field <paramref name="selector"/> names, whether MudBlazor put that hook on the input or on its wrapper.</summary>
    public static Task FindInputAndInputAsync<T>(this IRenderedComponent<T> rendered, string selector, object value) where T : IComponent =>
        rendered.InvokeAsync(() => InputOf(rendered.Find(selector)).Input(value));

    /// <summary>Clicks the input (a radio, a check box) <paramref name="selector"/> names, whether MudBlazor put that hook on the input or on its wrapper.</summary>
    public static Task FindInputAndClickAsync<T>(this IRenderedComponent<T> rendered, string selector) where T : IComponent =>
        rendered.InvokeAsync(() => InputOf(rendered.Find(selector)).Click());

    /// <summary>Opens a MudBlazor select or autocomplete as a person does: a mouse down on the input control that holds (or is) the element found.</summary>
    public static Task FindAndOpenInputControlAsync<T>(this IRenderedComponent<T> rendered, string selector) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Closest("div.mud-input-control")!.MouseDown());

    private static IElement InputOf(IElement element) => element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
}
