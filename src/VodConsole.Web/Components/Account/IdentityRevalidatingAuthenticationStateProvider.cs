using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VodConsole.Core.Data;
using VodConsole.Core.Roles;

namespace VodConsole.Web.Components.Account;

/// <summary>
/// Revalidates an open tab's security stamp when the change feed says its user changed: a password reset, a lock or a
/// removal changes (or removes) the stamp, and the tab is signed out as soon as the change is announced — the promise the
/// Users &amp; access page makes. An idle tab makes no query; the base class's periodic check remains as the slow safety
/// net (<see cref="IChangeFeed.SafetyNetInterval"/>) for a change no one announced.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory scopeFactory;
    private readonly IOptions<IdentityOptions> options;
    private readonly ILogger logger;
    private readonly IChangeFeed changes;
    private IDisposable? subscription;
    private readonly CancellationTokenSource closing = new();

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, IChangeFeed changes)
        : base(loggerFactory)
    {
        this.scopeFactory = scopeFactory;
        this.options = options;
        logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();
        this.changes = changes;
    }

    /// <summary>
    /// Starts following the change feed; called by the console's layout once its tab is interactive. Not from the
    /// constructor: a statically rendered request (the account pages) has a provider too, and a page that renews the
    /// user's own stamp and cookie must not be signed out by its own change halfway through its render.
    /// </summary>
    public void FollowChanges() => subscription ??= changes.Subscribe(change => _ = RevalidateAsync(change));

    protected override TimeSpan RevalidationInterval => IChangeFeed.SafetyNetInterval;

    private async Task RevalidateAsync(ConsoleChange change)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType) is not { } userId
                || !change.AffectsSessionOf(userId))
            {
                return;
            }
            if (!await ValidateAuthenticationStateAsync(state, closing.Token))
            {
                SetAuthenticationState(Task.FromResult(SignedOut));
            }
        }
        catch (InvalidOperationException)
        {
            // No authentication state yet (a scope that never got one, or still starting): nobody to sign out.
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not revalidate an open tab's session after {Change}; the next change or check tries again.", change);
        }
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            // Get the user manager from a new scope to ensure it fetches fresh data
            await using var scope = scopeFactory.CreateAsyncScope();
            var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            return await ValidateSecurityStampAsync(userManager, authenticationState.User);
        }
        catch (ObjectDisposedException disposed) when (disposed.ObjectName == nameof(IServiceProvider))
        {
            // The server is stopping and its services are gone: the tab's circuit ends with it, signed in or not.
            return true;
        }
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<ConsoleUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }
        else if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        else
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            var userStamp = await userManager.GetSecurityStampAsync(user);
            return principalStamp == userStamp;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            subscription?.Dispose();
            closing.Cancel();
        }
        base.Dispose(disposing);
    }
}
