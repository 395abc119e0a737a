using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Audit;
using VodConsole.Core.Common;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Access;

public sealed class TwoFactorServiceTests : IAsyncDisposable
{
    private const string Email = "editor@example.com";
    private TestConsole? started;
    private string userId = "";

    private TestConsole console => started!;

    public async ValueTask DisposeAsync()
    {
        if (started is not null)
        {
            await started.DisposeAsync();
        }
    }

    private async Task<TwoFactorService> StartAsync()
    {
        started = await TestConsole.StartAsync();
        userId = await console.AddUserAsync(Email);
        return console.Get<TwoFactorService>();
    }

    /// <summary>Sets the app up and turns two-factor sign-in on, as the enrolment page does; returns the key and the codes.</summary>
    private async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(TwoFactorService service)
    {
        var setup = await service.SetupAsync(userId);
        return (setup.SharedKey, await service.EnableAsync(userId, Totp.Code(setup.SharedKey)));
    }

    private async Task<ConsoleUser> UserAsync() => (await console.Get<UserManager<ConsoleUser>>().FindByIdAsync(userId))!;

    private async Task<bool> RedeemAsync(string recoveryCode)
    {
        var users = console.Get<UserManager<ConsoleUser>>();
        return (await users.RedeemTwoFactorRecoveryCodeAsync((await users.FindByIdAsync(userId))!, recoveryCode)).Succeeded;
    }

    private async Task<IReadOnlyList<AuditEntry>> EntriesAsync(string action) =>
        (await console.Get<AuditLog>().PageAsync(new AuditQuery(Action: action), null)).Entries;

    [Fact]
    public async Task Setting_up_makes_a_key_once_and_shows_it_for_an_authenticator_app()
    {
        var service = await StartAsync();

        var first = await service.SetupAsync(userId);
        var again = await service.SetupAsync(userId);

        Assert.True(first.IsNewKey);
        Assert.False(again.IsNewKey);
        Assert.Equal(first.SharedKey, again.SharedKey);
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", first.FormattedKey);
        Assert.Equal(first.SharedKey.ToLowerInvariant(), first.FormattedKey.Replace(" ", ""));
        Assert.Equal($"otpauth://totp/VodConsole:editor%40example.com?secret={first.SharedKey}&issuer=VodConsole&digits=6", first.Uri);
        Assert.False((await service.StatusAsync(userId)).IsEnabled);
    }

    [Fact]
    public async Task A_code_from_the_app_turns_it_on_with_ten_recovery_codes_and_goes_on_record_without_secrets()
    {
        var service = await StartAsync();

        var (key, codes) = await EnrolAsync(service);

        Assert.Equal(new TwoFactorStatus(true, 10), await service.StatusAsync(userId));
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", code));
        var entry = Assert.Single(await EntriesAsync(AuditActions.TwoFactorEnabled));
        Assert.Equal(Email, entry.Actor);
        Assert.Equal(userId, entry.UserId);
        Assert.Equal($"User {Email}", entry.Target);
        Assert.Equal("{\"TwoFactorEnabled\":false}", entry.Before);
        Assert.Equal("{\"TwoFactorEnabled\":true,\"RecoveryCodes\":10}", entry.After);
        Assert.DoesNotContain(key, entry.Before + entry.After, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_code_leaves_it_off_and_nothing_on_record()
    {
        var service = await StartAsync();
        var setup = await service.SetupAsync(userId);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => service.EnableAsync(userId, Totp.WrongCode(setup.SharedKey)));

        Assert.Equal(TwoFactorService.WrongCodeMessage, refused.Message);
        Assert.Equal(TwoFactorCodes.Field, refused.Field);
        Assert.False((await service.StatusAsync(userId)).IsEnabled);
        Assert.Empty(await EntriesAsync(AuditActions.TwoFactorEnabled));
    }

    [Fact]
    public async Task Once_on_the_key_is_never_shown_again()
    {
        var service = await StartAsync();
        await EnrolAsync(service);

        await Assert.ThrowsAsync<DomainRuleException>(() => service.SetupAsync(userId));
        await Assert.ThrowsAsync<DomainRuleException>(() => service.EnableAsync(userId, "123456"));
    }

    [Fact]
    public async Task Turning_it_off_needs_the_current_code_or_the_password()
    {
        var service = await StartAsync();
        var (key, _) = await EnrolAsync(service);

        var empty = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, " "));
        var wrong = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, "Not-the-passw0rd"));
        var wrongCode = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, Totp.WrongCode(key)));
        Assert.True((await service.StatusAsync(userId)).IsEnabled);
        await service.DisableAsync(userId, Totp.Code(key));

        Assert.Equal(TwoFactorService.ProofField, empty.Field);
        Assert.Equal(TwoFactorService.WrongProofMessage, wrong.Message);
        Assert.Equal(TwoFactorService.WrongProofMessage, wrongCode.Message);
        Assert.False((await service.StatusAsync(userId)).IsEnabled);
        Assert.Equal(0, (await UserAsync()).AccessFailedCount); // a success starts the count again
        var entry = Assert.Single(await EntriesAsync(AuditActions.TwoFactorDisabled));
        Assert.Equal("{\"TwoFactorEnabled\":true}", entry.Before);
        Assert.Equal("{\"TwoFactorEnabled\":false}", entry.After);

        // On again, and off with the password this time.
        await service.EnableAsync(userId, Totp.Code(key));
        await service.DisableAsync(userId, TestConsole.OwnerPassword);
        Assert.False((await service.StatusAsync(userId)).IsEnabled);
    }

    [Fact]
    public async Task Five_wrong_proofs_lock_the_account_as_at_sign_in()
    {
        var service = await StartAsync();
        await EnrolAsync(service);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, "Not-the-passw0rd"));
            Assert.Equal(TwoFactorService.WrongProofMessage, wrong.Message);
        }
        var locked = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, "Not-the-passw0rd"));
        var stillLocked = await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, TestConsole.OwnerPassword));

        Assert.Equal(SignInMessages.LockedOut, locked.Message);
        Assert.Equal(SignInMessages.LockedOut, stillLocked.Message);
        Assert.True(await console.Get<UserManager<ConsoleUser>>().IsLockedOutAsync(await UserAsync()));
        Assert.True((await service.StatusAsync(userId)).IsEnabled);
        Assert.Equal($"User {Email}", Assert.Single(await EntriesAsync(AuditActions.LockedOut)).Target);
    }

    [Fact]
    public async Task Resetting_the_key_retires_the_old_app_and_turns_it_off_until_set_up_again()
    {
        var service = await StartAsync();
        var (oldKey, _) = await EnrolAsync(service);

        await service.ResetAuthenticatorAsync(userId, Totp.Code(oldKey));

        Assert.False((await service.StatusAsync(userId)).IsEnabled);
        var setup = await service.SetupAsync(userId);
        Assert.NotEqual(oldKey, setup.SharedKey);
        Assert.False(setup.IsNewKey); // made by the reset, shown now
        await Assert.ThrowsAsync<DomainRuleException>(() => service.EnableAsync(userId, Totp.Code(oldKey)));
        await service.EnableAsync(userId, Totp.Code(setup.SharedKey));
        var entry = Assert.Single(await EntriesAsync(AuditActions.AuthenticatorReset));
        Assert.Equal("{\"TwoFactorEnabled\":true}", entry.Before);
        Assert.Equal("{\"TwoFactorEnabled\":false,\"AuthenticatorKeyReplaced\":true}", entry.After);
        Assert.DoesNotContain(oldKey, entry.Before + entry.After, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var service = await StartAsync();
        var (_, oldCodes) = await EnrolAsync(service);
        Assert.True(await RedeemAsync(oldCodes[0]));

        var newCodes = await console.Get<TwoFactorService>().GenerateRecoveryCodesAsync(userId); // a new request, a new scope

        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        Assert.False(await RedeemAsync(oldCodes[1]));
        Assert.True(await RedeemAsync(newCodes[0]));
        var entry = Assert.Single(await EntriesAsync(AuditActions.RecoveryCodesGenerated));
        Assert.Equal("{\"RecoveryCodesLeft\":9}", entry.Before);
        Assert.Equal("{\"RecoveryCodesLeft\":10}", entry.After);
        Assert.All(newCodes.Concat(oldCodes), code => Assert.DoesNotContain(code, entry.Before + entry.After));
    }

    [Fact]
    public async Task Recovery_codes_need_two_factor_sign_in_on()
    {
        var service = await StartAsync();

        await Assert.ThrowsAsync<DomainRuleException>(() => service.GenerateRecoveryCodesAsync(userId));
        await Assert.ThrowsAsync<DomainRuleException>(() => service.DisableAsync(userId, TestConsole.OwnerPassword));
    }

    [Fact]
    public void The_audit_filter_lists_the_two_factor_actions()
    {
        Assert.Superset(
            new HashSet<string>
            {
                AuditActions.TwoFactorEnabled, AuditActions.TwoFactorDisabled, AuditActions.AuthenticatorReset,
                AuditActions.RecoveryCodesGenerated, AuditActions.TwoFactorSignIn, AuditActions.TwoFactorSignInFailed,
                AuditActions.RecoveryCodeSignIn,
            },
            AuditActions.All.ToHashSet());
        Assert.All(AuditActions.All, action => Assert.True(action.Length <= AuditEntry.ActionMaxLength, action));
    }
}
