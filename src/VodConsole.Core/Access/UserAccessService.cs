using Microsoft.Extensions.DependencyInjection;
using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Core.Access;

/// <param name="ExpiresAt">When the grant ends by itself (UTC); null: until changed.</param>
public sealed record UserGrantListing(long ApplicationId, string ApplicationName, ApplicationAccess Access, DateTime? ExpiresAt = null)
{
    /// <summary>Whether the grant ends within <paramref name="window"/> of <paramref name="now"/> (the page's "expiring soon").</summary>
    public bool ExpiresWithin(TimeSpan window, DateTime now) => ExpiresAt is { } end && end - now <= window;
}

/// <param name="Refusals">What the signed-in administrator may not do to this user, and why (the page disables those actions).</param>
public sealed record UserListing(
    string Id, string Email, bool IsOwner, bool IsAdministrator, bool IsLockedOut, bool TwoFactorEnabled, IReadOnlyList<UserGrantListing> Grants,
    UserRefusals Refusals);

/// <summary>A user just added; <see cref="GeneratedPassword"/> is set when the console chose it, to be shown once.</summary>
public sealed record AddedUser(string UserId, string? GeneratedPassword);

/// <summary>
/// Users & access: who may sign in, and what each may use — Administrator (Admin and every application), or a grant per
/// application (Full or ReadOnly). Administrators only. The owner is always an Administrator; nobody can remove, lock
/// or demote themselves, so the account never loses its last administrator.
/// </summary>
/// <remarks>
/// Identity's <see cref="UserManager{TUser}"/> is taken from a scope of its own per operation: the page's circuit lives
/// for hours, and a manager scoped to it keeps answering with the users its context tracked first (a user who turned on
/// two-factor sign-in since would still look as before).
/// </remarks>
public sealed class UserAccessService(
    IServiceScopeFactory scopes, IDbContextFactory<VodDbContext> dbFactory, AccessPolicy access, AuditLog audit, TimeProvider clock)
{
    public const int EmailMaxLength = 256;
    /// <summary>How the audit log names the server's shell commands.</summary>
    public const string ShellActor = "server shell";

    public async Task<IReadOnlyList<UserListing>> ListAsync(CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var people = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var administrators = people.Count(u => u.IsAdministrator);
        var nowUtc = now.UtcDateTime;
        var grants = await db.ApplicationGrants.AsNoTracking().Active(nowUtc) // a lapsed grant shows as gone, as the checks treat it
            .Join(db.Applications, g => g.ApplicationId, a => a.Id,
                (g, a) => new { g.UserId, Grant = new UserGrantListing(a.Id, a.Name, g.Access, g.ExpiresAt), a.Kind, a.NormalizedName })
            .ToListAsync(ct);
        return people.Select(u => new UserListing(
                u.Id, u.Email ?? "", u.IsOwner, u.IsAdministrator, u.LockoutEnd > now, u.TwoFactorEnabled,
                grants.Where(g => g.UserId == u.Id)
                    .OrderBy(g => g.Kind == ApplicationKind.Primary ? 0 : 1).ThenBy(g => g.NormalizedName)
                    .Select(g => g.Grant).ToList(),
                UserRefusals.For(u, access.UserId, administrators)))
            .ToList();
    }

    /// <summary>Adds a user with no access yet. Without a password the console makes a strong one, returned once.</summary>
    public async Task<AddedUser> AddAsync(string? email, string? password, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var validEmail = ValidEmail(email);
        if (await users.FindByEmailAsync(validEmail) is not null)
        {
            throw new DomainRuleException($"A user with the email {validEmail} already exists.", "email");
        }
        var generated = string.IsNullOrEmpty(password) ? GeneratedPassword.Create() : null;
        var user = new ConsoleUser
        {
            UserName = validEmail,
            Email = validEmail,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        (await users.CreateAsync(user, generated ?? password!)).ThrowIfFailed("password");
        await audit.RecordAsync(AuditActions.UserAdded, null, AuditTargets.User(validEmail), null, new { Email = validEmail }, ct);
        return new AddedUser(user.Id, generated);
    }

    /// <summary>Replaces the user's password with a generated one, returned once; their other sessions end.</summary>
    public async Task<string> ResetPasswordAsync(string userId, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var user = await FindAsync(users, userId);
        var password = await ReplacePasswordAsync(users, user);
        await audit.RecordAsync(AuditActions.PasswordReset, null, AuditTargets.User(user.Email ?? ""), ct: ct); // never the password
        return password;
    }

    /// <summary>
    /// The server shell's recovery for a lost password, the owner's included (<c>reset-password EMAIL</c>): like
    /// <see cref="ResetPasswordAsync"/>, found by e-mail, recorded with the actor "server shell". System work only: whoever
    /// runs it already holds the server and its database.
    /// </summary>
    public async Task<string> ResetPasswordFromShellAsync(string email, CancellationToken ct = default)
    {
        access.RequireSystem();
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var user = await users.FindByEmailAsync(email.Trim())
            ?? throw new DomainRuleException($"Not found: there is no user with the email {email.Trim()}.", "email");
        var password = await ReplacePasswordAsync(users, user);
        await audit.RecordAsync(null, ShellActor, "", AuditActions.PasswordReset, null, AuditTargets.User(user.Email ?? ""), ct: ct);
        return password;
    }

    /// <summary>
    /// For a user who lost both their authenticator and their recovery codes: turns two-factor sign-in off and replaces
    /// the key, so the old app's codes stop working; they sign in with the password and can set it up again.
    /// </summary>
    public async Task TurnOffTwoFactorAsync(string userId, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var user = await FindAsync(users, userId);
        if (!user.TwoFactorEnabled)
        {
            throw new DomainRuleException($"Two-factor sign-in is already off for {user.Email}.");
        }
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed();
        (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed();
        await audit.RecordAsync(AuditActions.TwoFactorDisabled, null, AuditTargets.User(user.Email ?? ""),
            new { TwoFactorEnabled = true }, new { TwoFactorEnabled = false, AuthenticatorKeyReplaced = true }, ct);
    }

    /// <summary>
    /// Locks a user out until unlocked — their sessions end at once and the API keys that follow them are disabled — or
    /// unlocks them (the keys stay disabled until someone with access enables them).
    /// </summary>
    public async Task SetLockedAsync(string userId, bool locked, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var user = await FindAsync(users, userId);
        if (locked && await RefusalsAsync(users, user, ct) is { Lock: { } refused })
        {
            throw new DomainRuleException(refused);
        }
        if (locked)
        {
            await DisableKeysAsync(user, "was locked", ct);
        }
        (await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null)).ThrowIfFailed();
        if (locked)
        {
            (await users.UpdateSecurityStampAsync(user)).ThrowIfFailed();
        }
        else
        {
            (await users.ResetAccessFailedCountAsync(user)).ThrowIfFailed();
        }
        await audit.RecordAsync(locked ? AuditActions.UserLocked : AuditActions.UserUnlocked, null, AuditTargets.User(user.Email ?? ""),
            null, new { Locked = locked }, ct);
    }

    /// <summary>
    /// Removes a user and their grants, and disables the API keys that follow them. Not yourself, not the owner, not the
    /// last Administrator.
    /// </summary>
    public async Task RemoveAsync(string userId, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        await using var identity = scopes.CreateAsyncScope();
        var users = UsersOf(identity);
        var user = await FindAsync(users, userId);
        if (await RefusalsAsync(users, user, ct) is { Remove: { } refused })
        {
            throw new DomainRuleException(refused);
        }
        await DisableKeysAsync(user, "was removed", ct);
        (await users.DeleteAsync(user)).ThrowIfFailed();
        await audit.RecordAsync(AuditActions.UserRemoved, null, AuditTargets.User(user.Email ?? ""),
            new { user.Email, user.IsAdministrator }, null, ct);
    }

    /// <summary>
    /// Sets what a user may use: Administrator or not, and their grants (applications left out have none), each until
    /// changed or until its instant in <paramref name="expiresAt"/> (UTC, in the future), when it lapses by itself. Takes
    /// effect at once: every change is checked against the database, and an open tab's switcher follows within seconds.
    /// </summary>
    public async Task SetAccessAsync(
        string userId, bool isAdministrator, IReadOnlyDictionary<long, ApplicationAccess> grants,
        IReadOnlyDictionary<long, DateTime>? expiresAt = null, CancellationToken ct = default)
    {
        await access.RequireAdministratorAsync(ct);
        var expiries = ValidExpiries(grants, expiresAt ?? new Dictionary<long, DateTime>());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw NotFound();
        if (!isAdministrator
            && UserRefusals.For(user, access.UserId, await db.Users.CountAsync(u => u.IsAdministrator, ct)) is { TakeAdministrator: { } refused })
        {
            throw new DomainRuleException(refused);
        }
        var known = await db.Applications.Where(a => grants.Keys.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        if (grants.Keys.Except(known).Any())
        {
            throw new DomainRuleException("Not found: one of the applications no longer exists. Reload and try again.");
        }

        var existing = await db.ApplicationGrants.Where(g => g.UserId == userId).ToListAsync(ct);
        var before = AccessRecord(user.IsAdministrator, existing.ToDictionary(g => g.ApplicationId, g => g.Access),
            existing.Where(g => g.ExpiresAt is not null).ToDictionary(g => g.ApplicationId, g => g.ExpiresAt!.Value));
        var touched = user.IsAdministrator != isAdministrator
            ? await db.Applications.Select(a => a.Id).ToListAsync(ct) // Administrator or not changes every application
            : existing.Select(g => g.ApplicationId).Union(grants.Keys).ToList();
        var perApplication = touched
            .Select(id => (Id: id,
                Before: EffectiveAccess(user.IsAdministrator, existing.FirstOrDefault(g => g.ApplicationId == id)?.Access,
                    existing.FirstOrDefault(g => g.ApplicationId == id)?.ExpiresAt),
                After: EffectiveAccess(isAdministrator, grants.TryGetValue(id, out var level) ? level : null,
                    expiries.TryGetValue(id, out var end) ? end : null)))
            .Where(change => change.Before != change.After)
            .ToList();
        user.IsAdministrator = isAdministrator;
        db.ApplicationGrants.RemoveRange(existing.Where(g => !grants.ContainsKey(g.ApplicationId)));
        foreach (var (applicationId, level) in grants)
        {
            var expiry = expiries.TryGetValue(applicationId, out var end) ? end : (DateTime?)null;
            if (existing.FirstOrDefault(g => g.ApplicationId == applicationId) is { } grant)
            {
                grant.Access = level;
                grant.ExpiresAt = expiry;
            }
            else
            {
                db.ApplicationGrants.Add(new ApplicationGrant { UserId = userId, ApplicationId = applicationId, Access = level, ExpiresAt = expiry });
            }
        }
        // Saved with the change: a key never outlives the access of the user it follows, even for a moment.
        var disabledKeys = await ApiKeyCustody.DisableUncoveredAsync(
            db, userId, key => ApiKeyCustody.Covers(isAdministrator, grants, key), KeyReason(user, "no longer has the access it needs"), ct);
        await db.SaveChangesAsync(ct);
        var target = AuditTargets.User(user.Email ?? "");
        await audit.RecordAsync(AuditActions.AccessChanged, null, target, before, AccessRecord(isAdministrator, grants, expiries), ct);
        // Each application's own log shows who was given or lost access to it.
        foreach (var change in perApplication)
        {
            await audit.RecordAsync(AuditActions.ApplicationAccessChanged, change.Id, target,
                new { Access = change.Before }, new { Access = change.After }, ct);
        }
        await RecordDisabledAsync(disabledKeys, ct);
    }

    /// <summary>
    /// The expiries of the grants being set, to the second (both engines store and compare them alike); each must name a
    /// granted application and lie in the future: an expiry already past would grant nothing and surprise the user.
    /// </summary>
    private Dictionary<long, DateTime> ValidExpiries(IReadOnlyDictionary<long, ApplicationAccess> grants, IReadOnlyDictionary<long, DateTime> expiresAt)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var valid = new Dictionary<long, DateTime>();
        foreach (var (applicationId, at) in expiresAt)
        {
            if (!grants.ContainsKey(applicationId))
            {
                throw new DomainRuleException("An expiry needs a grant: choose Read-only or Full for that application, or remove the expiry.");
            }
            var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
            utc = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            if (utc <= now)
            {
                throw new DomainRuleException(
                    $"The expiry {utc:yyyy-MM-dd HH:mm} UTC is already past: choose a time in the future, or no expiry.", "expiry");
            }
            valid[applicationId] = utc;
        }
        return valid;
    }

    /// <summary>What the audit log shows of a user's access; expiries only when there are any, as instants in UTC.</summary>
    private static Dictionary<string, object> AccessRecord(
        bool isAdministrator, IReadOnlyDictionary<long, ApplicationAccess> grants, IReadOnlyDictionary<long, DateTime> expiries)
    {
        var record = new Dictionary<string, object>
        {
            ["IsAdministrator"] = isAdministrator,
            ["Grants"] = grants.ToDictionary(g => g.Key, g => g.Value.ToString()),
        };
        if (expiries.Count > 0)
        {
            record["ExpiresAt"] = expiries.ToDictionary(e => e.Key, e => e.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        }
        return record;
    }

    /// <summary>A generated password in place of the old one; the security stamp changes with it, so every session ends.</summary>
    private static async Task<string> ReplacePasswordAsync(UserManager<ConsoleUser> users, ConsoleUser user)
    {
        var password = GeneratedPassword.Create();
        // Needs no token provider, and a generated password always passes the policy, so the user is never left without one.
        (await users.RemovePasswordAsync(user)).ThrowIfFailed();
        (await users.AddPasswordAsync(user, password)).ThrowIfFailed();
        await users.SetLockoutEndDateAsync(user, null);
        return password;
    }

    /// <summary>What a user may do in one application, as its audit log names it.</summary>
    private static string EffectiveAccess(bool isAdministrator, ApplicationAccess? grant, DateTime? expiresAt) =>
        isAdministrator ? "Full (Administrator)"
        : grant is null ? "None"
        : expiresAt is { } end ? $"{grant} until {end:yyyy-MM-dd HH:mm:ss} UTC"
        : grant.ToString()!;

    /// <summary>Disables every key that follows the user (locked or removed: they vouch for nothing any more).</summary>
    private async Task DisableKeysAsync(ConsoleUser user, string what, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var disabled = await ApiKeyCustody.DisableUncoveredAsync(db, user.Id, _ => false, KeyReason(user, what), ct);
        await db.SaveChangesAsync(ct);
        await RecordDisabledAsync(disabled, ct);
    }

    private string KeyReason(ConsoleUser user, string what) =>
        $"{user.Email}, whose access this key follows, {what} ({clock.GetUtcNow():yyyy-MM-dd}).";

    private async Task RecordDisabledAsync(IEnumerable<ApiKey> keys, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            await audit.RecordAsync(AuditActions.ApiKeyDisabled, key.ApplicationId, AuditTargets.ApiKey(key.KeyId, key.Name),
                new { IsEnabled = true }, new { IsEnabled = false, Reason = key.DisabledReason }, ct);
        }
    }

    public static string ValidEmail(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainRuleException("Enter the user's email address.", "email");
        }
        if (TextRules.LengthProblem(trimmed, EmailMaxLength, "email address") is { } tooLong)
        {
            throw new DomainRuleException(tooLong, "email");
        }
        if (!MailAddress.TryCreate(trimmed, out var address)
            || address.Address != trimmed
            || !address.Host.Contains('.'))
        {
            throw new DomainRuleException("Enter a valid email address, such as name@example.com.", "email");
        }
        return trimmed;
    }

    private async Task<UserRefusals> RefusalsAsync(UserManager<ConsoleUser> users, ConsoleUser user, CancellationToken ct) =>
        UserRefusals.For(user, access.UserId, await users.Users.CountAsync(u => u.IsAdministrator, ct));

    private static UserManager<ConsoleUser> UsersOf(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();

    private static async Task<ConsoleUser> FindAsync(UserManager<ConsoleUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw NotFound();

    private static DomainRuleException NotFound() => new("Not found: this user does not exist.");
}
