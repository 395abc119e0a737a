using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace VodConsole.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services, and its popover host rendered so dropdown items can appear.</summary>
public abstract class MudTestContext : BunitContext
{
    /// <param name="configure">Services the component under test needs; added first, as none can be once rendering began.</param>
    protected MudTestContext(Action<IServiceCollection>? configure = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        configure?.Invoke(Services);
        Services.AddMudServices();
        Popovers = Render<MudPopoverProvider>();
    }

    /// <summary>Where MudBlazor renders open dropdowns, menus and tooltips.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; }
}
