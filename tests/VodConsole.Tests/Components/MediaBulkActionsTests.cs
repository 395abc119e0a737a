using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Media;
using VodConsole.Core.Roles;
using VodConsole.Web.Media;

namespace VodConsole.Tests.Components;

/// <summary>The bulk bar refuses a move of items still being processed before asking, with the service's own reason.</summary>
public sealed class MediaBulkActionsTests : ConsoleComponentContext
{
    private async Task<IRenderedComponent<MediaBulkActions>> RenderWithAsync(params MediaItem[] selected)
    {
        var applications = Services.GetRequiredService<ApplicationService>();
        await applications.CreateSubApplicationAsync("Marketing", null);
        var roles = (await applications.ListAsync()).Select(a => ConsoleRole.For(a)).ToList();
        Services.GetRequiredService<RoleContext>().Enter(
            new RoleCatalog(OwnerId, "owner@vod.test", true, null, true, BillingMode.Daily, ServiceStatus.Active, roles),
            roles.Single(r => r.Name != "Marketing"));
        return Render<MediaBulkActions>(p => p.Add(c => c.Selected, selected));
    }

    private static MediaItem Item(string title, MediaStatus status) => new() { Id = title.Length, Title = title, Status = status };

    [Fact]
    public async Task Move_is_disabled_with_the_reason_while_a_selected_item_is_still_processing()
    {
        var bar = await RenderWithAsync(Item("Ready clip", MediaStatus.Normal), Item("Fresh upload", MediaStatus.Processing));

        bar.WaitForAssertion(() => Assert.Contains(
            "\"Fresh upload\" is still being processed; move it once it is ready.",
            bar.Find("[data-testid='bulk-move-refused']").TextContent));
        Assert.True(bar.Find("[data-testid='bulk-move'] button").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Move_is_offered_when_every_selected_item_is_ready()
    {
        var bar = await RenderWithAsync(Item("Ready clip", MediaStatus.Normal));

        bar.WaitForAssertion(() => Assert.False(bar.Find("[data-testid='bulk-move'] button").HasAttribute("disabled")));
        Assert.Empty(bar.FindAll("[data-testid='bulk-move-refused']"));
    }
}
