using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace VodConsole.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services, and its popover host rendered so dropdown items can appear.</summary>
public abstract class MudTestContext : BunitContext
{
    // Pages load their data asynchronously, and on PostgreSQL (or a busy 2-core machine) that takes longer than bUnit's
    // default second. The waits are for conditions, so a longer limit only costs time when a test fails.
    static MudTestContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    /// <param name="register">More services, added before anything renders (bUnit allows no later registration).</param>
    protected MudTestContext(Action<IServiceCollection>? register = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        register?.Invoke(Services);
        Popovers = Render<MudPopoverProvider>();
    }

    /// <summary>Where MudBlazor renders open dropdowns, menus and tooltips.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; }
}
