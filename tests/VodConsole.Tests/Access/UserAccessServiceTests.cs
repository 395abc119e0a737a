using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Access;

public sealed class UserAccessServiceTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private string ownerId = "";
    private Application primary = null!;
    private Application sub = null!;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    /// <summary>The service as the owner uses it on the Users & access page.</summary>
    private async Task<UserAccessService> StartAsync()
    {
        console = await TestConsole.StartAsync();
        ownerId = await console.EnableSubApplicationsAsync();
        primary = (await console.Get<ApplicationService>().ListAsync()).Single();
        sub = await console.Get<ApplicationService>().CreateSubApplicationAsync("Customer A", null);
        return await AsAsync(ownerId);
    }

    private async Task<UserAccessService> AsAsync(string userId) =>
        (await console.AsUserAsync(userId)).GetRequiredService<UserAccessService>();

    [Fact]
    public async Task An_added_user_without_a_password_gets_a_generated_one_that_signs_in_and_no_access()
    {
        var service = await StartAsync();

        var added = await service.AddAsync("  Editor@Example.com ", null);

        Assert.NotNull(added.GeneratedPassword);
        var manager = console.Get<UserManager<ConsoleUser>>();
        var user = (await manager.FindByIdAsync(added.UserId))!;
        Assert.Equal("Editor@Example.com", user.Email);
        Assert.True(await manager.CheckPasswordAsync(user, added.GeneratedPassword));
        var listed = (await service.ListAsync()).Single(u => u.Id == added.UserId);
        Assert.False(listed.IsAdministrator);
        Assert.Empty(listed.Grants);
    }

    [Fact]
    public async Task A_given_password_is_used_and_a_weak_one_is_refused()
    {
        var service = await StartAsync();

        var added = await service.AddAsync("viewer@example.com", "Viewer-Passw0rd!");
        var weak = await Assert.ThrowsAsync<DomainRuleException>(() => service.AddAsync("weak@example.com", "short"));

        Assert.Null(added.GeneratedPassword);
        Assert.Equal("password", weak.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    public async Task An_invalid_email_is_refused(string? email)
    {
        var service = await StartAsync();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => service.AddAsync(email, null));

        Assert.Equal("email", refused.Field);
    }

    [Fact]
    public async Task A_duplicate_email_is_refused()
    {
        var service = await StartAsync();
        await service.AddAsync("editor@example.com", null);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => service.AddAsync("editor@example.com", null));

        Assert.Contains("already exists", refused.Message);
    }

    [Fact]
    public async Task Grants_are_set_and_replaced_and_listed_by_application()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("editor@example.com", null)).UserId;

        await service.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess>
        {
            [primary.Id] = ApplicationAccess.ReadOnly, [sub.Id] = ApplicationAccess.Full,
        });
        var first = (await service.ListAsync()).Single(u => u.Id == userId).Grants;
        await service.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.ReadOnly });
        var second = (await service.ListAsync()).Single(u => u.Id == userId).Grants;

        Assert.Equal(
            [new UserGrantListing(primary.Id, primary.Name, ApplicationAccess.ReadOnly), new UserGrantListing(sub.Id, "Customer A", ApplicationAccess.Full)],
            first);
        Assert.Equal([new UserGrantListing(sub.Id, "Customer A", ApplicationAccess.ReadOnly)], second);
    }

    [Fact]
    public async Task The_administrator_flag_is_set_and_cleared_but_never_for_the_owner_or_yourself()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("admin2@example.com", null)).UserId;

        await service.SetAccessAsync(userId, true, new Dictionary<long, ApplicationAccess>());
        Assert.True((await service.ListAsync()).Single(u => u.Id == userId).IsAdministrator);
        var asSecondAdmin = await AsAsync(userId);
        await Assert.ThrowsAsync<DomainRuleException>(() => asSecondAdmin.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess>()));
        await Assert.ThrowsAsync<DomainRuleException>(() => asSecondAdmin.SetAccessAsync(ownerId, false, new Dictionary<long, ApplicationAccess>()));
        await service.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess>());

        Assert.False((await service.ListAsync()).Single(u => u.Id == userId).IsAdministrator);
    }

    [Fact]
    public async Task Removing_yourself_or_the_owner_is_refused_and_removing_a_user_drops_their_grants()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("editor@example.com", null)).UserId;
        await service.SetAccessAsync(userId, true, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.Full });
        var asOtherAdmin = await AsAsync(userId);

        var self = await Assert.ThrowsAsync<DomainRuleException>(() => service.RemoveAsync(ownerId));
        var owner = await Assert.ThrowsAsync<DomainRuleException>(() => asOtherAdmin.RemoveAsync(ownerId));
        await service.RemoveAsync(userId);

        Assert.Contains("yourself", self.Message);
        Assert.Contains("owner", owner.Message);
        Assert.DoesNotContain((await service.ListAsync()), u => u.Id == userId);
        await using var db = await console.OpenDbAsync();
        Assert.False(await db.ApplicationGrants.AnyAsync());
    }

    [Fact]
    public async Task A_locked_user_cannot_sign_in_until_unlocked_and_nobody_locks_themselves()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("editor@example.com", null)).UserId;
        var manager = console.Get<UserManager<ConsoleUser>>();

        await service.SetLockedAsync(userId, true);
        var locked = await manager.IsLockedOutAsync((await manager.FindByIdAsync(userId))!);
        Assert.True((await service.ListAsync()).Single(u => u.Id == userId).IsLockedOut);
        await service.SetLockedAsync(userId, false);

        Assert.True(locked);
        Assert.False((await service.ListAsync()).Single(u => u.Id == userId).IsLockedOut);
        await Assert.ThrowsAsync<DomainRuleException>(() => service.SetLockedAsync(ownerId, true));
    }

    [Fact]
    public async Task The_list_says_what_cannot_be_done_to_each_user_in_the_words_the_service_refuses_with()
    {
        var service = await StartAsync();
        var adminId = (await service.AddAsync("admin2@example.com", null)).UserId;
        var editorId = (await service.AddAsync("editor@example.com", null)).UserId;
        await service.SetAccessAsync(adminId, true, new Dictionary<long, ApplicationAccess>());
        var asOtherAdmin = await AsAsync(adminId);

        var byOwner = (await service.ListAsync()).ToDictionary(u => u.Id, u => u.Refusals);
        var byAdmin = (await asOtherAdmin.ListAsync()).ToDictionary(u => u.Id, u => u.Refusals);

        Assert.Equal(new UserRefusals("You cannot lock yourself out.", "You cannot remove yourself; ask another administrator.",
            "The account owner is always an Administrator."), byOwner[ownerId]);
        Assert.Equal(new UserRefusals("The account owner cannot be locked.", "The account owner cannot be removed.",
            "The account owner is always an Administrator."), byAdmin[ownerId]);
        Assert.Equal(new UserRefusals("You cannot lock yourself out.", "You cannot remove yourself; ask another administrator.",
            "You cannot take away your own Administrator access; ask another administrator."), byAdmin[adminId]);
        Assert.Equal(new UserRefusals(null, null, null), byOwner[adminId]);
        Assert.Equal(new UserRefusals(null, null, null), byAdmin[editorId]);
        // The service refuses each one with the same words the page shows.
        Assert.Equal(byOwner[ownerId].Lock, (await Assert.ThrowsAsync<DomainRuleException>(() => service.SetLockedAsync(ownerId, true))).Message);
        Assert.Equal(byAdmin[ownerId].Remove, (await Assert.ThrowsAsync<DomainRuleException>(() => asOtherAdmin.RemoveAsync(ownerId))).Message);
        Assert.Equal(byAdmin[adminId].TakeAdministrator, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            asOtherAdmin.SetAccessAsync(adminId, false, new Dictionary<long, ApplicationAccess>()))).Message);
    }

    [Fact]
    public async Task An_administrator_turns_off_two_factor_sign_in_for_someone_who_lost_their_app()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("phoneless@example.com", "Phoneless-Passw0rd!")).UserId;
        var manager = console.Get<UserManager<ConsoleUser>>();
        var user = (await manager.FindByIdAsync(userId))!;
        await manager.ResetAuthenticatorKeyAsync(user);
        var oldKey = await manager.GetAuthenticatorKeyAsync(user);
        await manager.SetTwoFactorEnabledAsync(user, true);
        Assert.True((await service.ListAsync()).Single(u => u.Id == userId).TwoFactorEnabled);

        await service.TurnOffTwoFactorAsync(userId);

        var fresh = console.Get<UserManager<ConsoleUser>>();
        user = (await fresh.FindByIdAsync(userId))!;
        Assert.False(user.TwoFactorEnabled);
        Assert.NotEqual(oldKey, await fresh.GetAuthenticatorKeyAsync(user));
        Assert.False((await service.ListAsync()).Single(u => u.Id == userId).TwoFactorEnabled);
        Assert.Contains("already off", (await Assert.ThrowsAsync<DomainRuleException>(() => service.TurnOffTwoFactorAsync(userId))).Message);
        await using var db = await console.OpenDbAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == VodConsole.Core.Audit.AuditActions.TwoFactorDisabled);
        Assert.Equal("{\"TwoFactorEnabled\":false,\"AuthenticatorKeyReplaced\":true}", entry.After);
        Assert.DoesNotContain(oldKey!, entry.After + entry.Before);
    }

    [Fact]
    public async Task A_reset_password_replaces_the_old_one()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("editor@example.com", "Editor-Passw0rd!")).UserId;

        var password = await service.ResetPasswordAsync(userId);

        var manager = console.Get<UserManager<ConsoleUser>>();
        var user = (await manager.FindByIdAsync(userId))!;
        Assert.True(await manager.CheckPasswordAsync(user, password));
        Assert.False(await manager.CheckPasswordAsync(user, "Editor-Passw0rd!"));
    }

    [Fact]
    public async Task Only_administrators_manage_users()
    {
        var service = await StartAsync();
        var userId = (await service.AddAsync("editor@example.com", null)).UserId;
        await service.SetAccessAsync(userId, false, new Dictionary<long, ApplicationAccess> { [sub.Id] = ApplicationAccess.Full });
        var asEditor = await AsAsync(userId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => asEditor.ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => asEditor.AddAsync("other@example.com", null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => asEditor.SetAccessAsync(userId, true, new Dictionary<long, ApplicationAccess>()));
    }
}
