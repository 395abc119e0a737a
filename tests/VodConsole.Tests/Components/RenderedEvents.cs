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
}
