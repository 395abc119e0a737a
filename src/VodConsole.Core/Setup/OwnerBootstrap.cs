using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Setup;

/// <summary>Creates the account owner from <c>Bootstrap:*</c> when no owner exists yet.</summary>
public sealed class OwnerBootstrap(
    UserManager<ConsoleUser> users,
    IOptions<BootstrapOptions> options,
    TimeProvider clock,
    ILogger<OwnerBootstrap> logger)
{
    public async Task EnsureOwnerAsync()
    {
        if (await users.Users.AnyAsync(u => u.IsOwner))
        {
            return;
        }

        var email = options.Value.AdminEmail.Trim();
        var generated = string.IsNullOrEmpty(options.Value.AdminPassword);
        var password = generated ? GeneratedPassword.Create() : options.Value.AdminPassword!;
        var owner = new ConsoleUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            IsOwner = true,
            IsAdministrator = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };

        var result = await users.CreateAsync(owner, password);
        if (!result.Succeeded)
        {
            var problems = string.Join(" ", result.Errors.Select(e => e.Description));
            throw new InvalidOperationException(
                $"The owner account '{email}' could not be created: {problems} Check Bootstrap:AdminEmail and Bootstrap:AdminPassword.");
        }

        if (generated)
        {
            // The one place a password reaches the log, by design: the operator has no other way to learn it.
            logger.LogWarning(
                "Created the owner account {Email} with the generated password {Password} . It is shown only this once.",
                email, password);
        }
        else
        {
            logger.LogInformation("Created the owner account {Email} with the password from Bootstrap:AdminPassword.", email);
        }
    }
}
