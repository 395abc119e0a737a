namespace VodConsole.Core.Roles;

/// <summary>
/// The role the console is in for this circuit (the project's "AppContext"; named so to stay clear of
/// <see cref="System.AppContext"/>). The layout sets it from the route before any page renders; pages and services read
/// it instead of trusting route values of their own.
/// </summary>
public sealed class RoleContext
{
    public RoleCatalog? Catalog { get; private set; }

    /// <summary>
    /// The API key a server API request was signed with; null for a console user and for system work. When set, the
    /// <see cref="Catalog"/> is the key's (<see cref="Api.ApiKeyRoles"/>), access checks ask about the key and the audit
    /// log names it as the actor.
    /// </summary>
    public Api.ApiKeyCaller? ApiKey { get; private set; }

    /// <summary>
    /// Whether this scope was declared system work (<see cref="EnterSystem"/>): background workers, start-up, the server's
    /// shell commands and the anonymous playback domain. A scope that is neither that nor a user's nor a key's has no
    /// caller, and every access check and isolated context refuses it: an endpoint that forgot to resolve its caller gets
    /// nothing, rather than everything.
    /// </summary>
    public bool IsSystem { get; private set; }

    /// <summary>Whether anyone is acting in this scope: a user, an API key, or declared system work.</summary>
    public bool HasCaller => IsSystem || Catalog is not null;

    /// <summary>The selected role, or null when the route names a role that does not exist for this user.</summary>
    public ConsoleRole? Current { get; private set; }

    /// <summary>Raised when something on this circuit changed what the catalog holds (for example, sub-applications were enabled).</summary>
    public event Func<Task>? CatalogChanged;

    /// <summary>
    /// Whether pages offer changes in the current role (from the catalog loaded at this navigation). Hiding controls only:
    /// the services refuse changes for themselves, from the database (<see cref="Access.AccessPolicy"/>).
    /// </summary>
    public bool CanWrite => Current?.CanWrite == true;

    /// <summary>The selected application; a scope without a caller is refused (it has no role to name one).</summary>
    public long CurrentApplicationId => HasCaller
        ? Current?.ApplicationId ?? throw new InvalidOperationException("No application role is selected.")
        : throw new Access.AccessDeniedException(Access.AccessPolicy.NoCallerMessage);

    public void Enter(RoleCatalog catalog, ConsoleRole? role)
    {
        IsSystem = false; // a user's scope is never also system work
        Catalog = catalog;
        Current = role;
    }

    /// <summary>Acts for an API key: its catalog and the application the request's <c>SubAppId</c> selected (or Admin).</summary>
    public void EnterApi(Api.ApiKeyCaller key, RoleCatalog catalog, ConsoleRole? role)
    {
        ApiKey = key;
        Enter(catalog, role);
    }

    /// <summary>
    /// Declares this scope system work, which no user drives and access checks let through. Only a scope nobody entered
    /// yet can become one, so a user's or a key's scope can never be raised to it.
    /// </summary>
    public void EnterSystem()
    {
        if (Catalog is not null)
        {
            throw new InvalidOperationException("A scope that acts for a user or an API key cannot become system work.");
        }
        IsSystem = true;
    }

    public Task NotifyCatalogChangedAsync() => CatalogChanged?.Invoke() ?? Task.CompletedTask;
}
