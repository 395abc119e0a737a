using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Roles;

namespace VodConsole.Bench;

internal static class BenchScopes
{
    /// <summary>
    /// A service in a scope of its own that declares system work, as the console's start-up and workers do: a scope
    /// without a caller is refused by design (fail closed), and the bench builds its data as the system.
    /// </summary>
    public static T System<T>(this IServiceProvider provider) where T : notnull =>
        provider.GetRequiredService<IServiceScopeFactory>().CreateSystemScope().ServiceProvider.GetRequiredService<T>();
}
