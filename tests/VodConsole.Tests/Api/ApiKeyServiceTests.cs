using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Api;

/// <summary>Who may see and manage which keys, how secrets are kept, and what the audit log says about keys.</summary>
public sealed class ApiKeyServiceTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private long app;
    private long other;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        app = (await console.Get<ApplicationService>().CreateSubApplicationAsync("App A", null)).Id;
        other = (await console.Get<ApplicationService>().CreateSubApplicationAsync("App B", null)).Id;
    }

    private async Task<ApiKeyService> AsUserAsync(ApplicationAccess? access, long? role)
    {
        var userId = await console.AddUserAsync($"user-{Guid.NewGuid():N}@vod.test");
        if (access is { } level)
        {
            await using var db = await console.OpenDbAsync();
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = userId, ApplicationId = app, Access = level });
            await db.SaveChangesAsync();
        }
        var scope = await console.AsUserAsync(userId, role);
        return scope.GetRequiredService<ApiKeyService>();
    }

    [Fact]
    public async Task A_key_is_created_with_its_secret_once_and_the_secret_is_stored_only_encrypted_and_never_audited()
    {
        await StartAsync();
        var keys = (await console.InApplicationAsync(app)).GetRequiredService<ApiKeyService>();

        var created = await keys.CreateAsync("  Transcoder  ", ApplicationAccess.ReadOnly);

        Assert.Matches("^AKID[A-Za-z0-9]{24}$", created.Key.KeyId);
        Assert.Matches("^[A-Za-z0-9]{40}$", created.Secret);
        Assert.Equal(("Transcoder", ApplicationAccess.ReadOnly, true), (created.Key.Name, created.Key.Access, created.Key.IsEnabled));
        Assert.DoesNotContain(created.Secret, created.ToString());
        await using var db = await console.OpenDbAsync();
        var row = await db.ApiKeys.SingleAsync();
        Assert.DoesNotContain(created.Secret, row.ProtectedSecret);
        Assert.Equal(created.Secret, console.Get<ApiKeySecrets>().Unprotect(row.ProtectedSecret));
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ApiKeyCreated);
        Assert.Equal(app, audit.ApplicationId);
        Assert.Contains(created.Key.KeyId, audit.Target);
        Assert.DoesNotContain(created.Secret, audit.After);
        Assert.DoesNotContain(row.ProtectedSecret, audit.After);
    }

    [Fact]
    public async Task Each_role_lists_only_its_own_keys()
    {
        await StartAsync();
        var inApp = (await console.InApplicationAsync(app)).GetRequiredService<ApiKeyService>();
        var inOther = (await console.InApplicationAsync(other)).GetRequiredService<ApiKeyService>();
        var appKey = await inApp.CreateAsync("A key", ApplicationAccess.Full);
        var otherKey = await inOther.CreateAsync("B key", ApplicationAccess.Full);
        var admin = await console.AsUserAsync(await console.AddUserAsync($"admin-{Guid.NewGuid():N}@vod.test", isAdministrator: true));
        admin.GetRequiredService<VodConsole.Core.Roles.RoleContext>().Enter(
            admin.GetRequiredService<VodConsole.Core.Roles.RoleContext>().Catalog!, VodConsole.Core.Roles.ConsoleRole.Admin);
        var accountKey = await admin.GetRequiredService<ApiKeyService>().CreateAsync("Account key", ApplicationAccess.ReadOnly);

        Assert.Equal([appKey.Key.KeyId], (await inApp.ListAsync()).Select(k => k.KeyId));
        Assert.Equal([accountKey.Key.KeyId], (await admin.GetRequiredService<ApiKeyService>().ListAsync()).Select(k => k.KeyId));
        Assert.Equal(ApplicationAccess.Full, accountKey.Key.Access); // an account key always has full access
        // Another application's key, or an account key, cannot be changed from an application's page.
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => inApp.SetEnabledAsync(otherKey.Key.Id, false));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => inApp.DeleteAsync(accountKey.Key.Id));
    }

    [Fact]
    public async Task A_read_only_user_sees_the_keys_but_may_not_manage_them()
    {
        await StartAsync();
        var key = await (await console.InApplicationAsync(app)).GetRequiredService<ApiKeyService>().CreateAsync("Existing", ApplicationAccess.Full);
        var readOnly = await AsUserAsync(ApplicationAccess.ReadOnly, app);

        Assert.Single(await readOnly.ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => readOnly.CreateAsync("Mine", ApplicationAccess.Full));
        await Assert.ThrowsAsync<AccessDeniedException>(() => readOnly.SetEnabledAsync(key.Key.Id, false));
        await Assert.ThrowsAsync<AccessDeniedException>(() => readOnly.DeleteAsync(key.Key.Id));
    }

    [Fact]
    public async Task A_full_user_manages_the_applications_keys_and_every_step_is_audited()
    {
        await StartAsync();
        var keys = await AsUserAsync(ApplicationAccess.Full, app);

        var created = await keys.CreateAsync("Worker", ApplicationAccess.Full);
        await keys.SetEnabledAsync(created.Key.Id, false);
        await keys.SetEnabledAsync(created.Key.Id, true);
        await keys.DeleteAsync(created.Key.Id);

        Assert.Empty(await keys.ListAsync());
        await using var db = await console.OpenDbAsync();
        var actions = await db.AuditEntries.Where(e => e.Target.Contains(created.Key.KeyId)).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.ApiKeyCreated, AuditActions.ApiKeyDisabled, AuditActions.ApiKeyEnabled, AuditActions.ApiKeyDeleted], actions);
    }

    [Fact]
    public async Task Only_an_administrator_manages_account_keys()
    {
        await StartAsync();
        var user = await console.AsUserAsync(await console.AddUserAsync($"user-{Guid.NewGuid():N}@vod.test"));
        var roles = user.GetRequiredService<VodConsole.Core.Roles.RoleContext>();
        roles.Enter(roles.Catalog!, VodConsole.Core.Roles.ConsoleRole.Admin); // as if the route named Admin

        await Assert.ThrowsAsync<AccessDeniedException>(() => user.GetRequiredService<ApiKeyService>().ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => user.GetRequiredService<ApiKeyService>().CreateAsync("No", ApplicationAccess.Full));
    }

    [Fact]
    public async Task A_key_name_is_required_and_limited()
    {
        await StartAsync();
        var keys = (await console.InApplicationAsync(app)).GetRequiredService<ApiKeyService>();

        Assert.Equal("Name", (await Assert.ThrowsAsync<DomainRuleException>(() => keys.CreateAsync("  ", ApplicationAccess.Full))).Field);
        await Assert.ThrowsAsync<DomainRuleException>(() => keys.CreateAsync(new string('k', ApiKey.NameMaxLength + 1), ApplicationAccess.Full));
    }
}
