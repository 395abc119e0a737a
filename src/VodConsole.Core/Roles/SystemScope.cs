using Microsoft.Extensions.DependencyInjection;

namespace VodConsole.Core.Roles;

/// <summary>
/// The one way background work gets a scope its access checks let through (<see cref="RoleContext.EnterSystem"/>).
/// Any other scope without a user or an API key is refused, so system work is always declared where it starts.
/// </summary>
public static class SystemScope
{
    public static AsyncServiceScope CreateSystemScope(this IServiceScopeFactory scopes)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RoleContext>().EnterSystem();
        return scope;
    }
}
