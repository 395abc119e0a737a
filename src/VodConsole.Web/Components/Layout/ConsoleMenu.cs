using MudBlazor;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Components.Layout;

/// <summary>
/// One menu item. <see cref="Slug"/> is the last route segment and the <c>nav-{slug}</c> test hook;
/// <see cref="FullAccessOnly"/> items are for changing things (or, like the audit log, for those who may), so a read-only
/// role does not list them.
/// </summary>
public sealed record MenuEntry(string Slug, string Title, string Icon, bool FullAccessOnly = false)
{
    public string HrefFor(ConsoleRole role) => $"{role.BasePath}/{Slug}";
}

/// <summary>The pages each kind of role has. A page that exists is listed here; nothing else is.</summary>
public static class ConsoleMenu
{
    private static readonly MenuEntry[] AdminPages =
    [
        new("overview", "Service Overview", Icons.Material.Outlined.Dashboard),
        new("applications", "Applications", Icons.Material.Outlined.Apps),
        new("packages", "Resource Packages", Icons.Material.Outlined.Inventory2),
        new("chargeback", "Chargeback", Icons.Material.Outlined.RequestQuote),
        new("budgets", "Budgets & quotas", Icons.Material.Outlined.Savings),
        new("configuration", "Configuration", Icons.Material.Outlined.Tune),
        new("statistics", "Statistics", Icons.Material.Outlined.Insights),
        new("users", "Users & access", Icons.Material.Outlined.People),
        new("api-keys", "API keys", Icons.Material.Outlined.Key),
        new("audit", "Audit log", Icons.Material.Outlined.History),
        new("settings", "Account settings", Icons.Material.Outlined.Settings),
    ];

    private static readonly MenuEntry[] ApplicationPages =
    [
        new("overview", "Service Overview", Icons.Material.Outlined.Dashboard),
        new("media", "Media", Icons.Material.Outlined.VideoLibrary),
        new("upload", "Upload", Icons.Material.Outlined.CloudUpload, FullAccessOnly: true),
        new("transcoding", "Transcoding", Icons.Material.Outlined.Transform),
        new("review", "Review", Icons.Material.Outlined.FactCheck),
        new("statistics", "Statistics", Icons.Material.Outlined.Insights),
        new("callbacks", "Event callbacks", Icons.Material.Outlined.Webhook),
        new("settings", "Playback & security", Icons.Material.Outlined.Security),
        new("api-keys", "API keys", Icons.Material.Outlined.Key),
        new("audit", "Audit log", Icons.Material.Outlined.History, FullAccessOnly: true),
    ];

    public static IReadOnlyList<MenuEntry> For(ConsoleRole role) =>
        (role.IsAdmin ? AdminPages : ApplicationPages).Where(e => role.CanWrite || !e.FullAccessOnly).ToList();
}
