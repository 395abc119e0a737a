using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
        var password = generated ? GeneratePassword() : options.Value.AdminPassword!;
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

    /// <summary>24 characters with every character class the password policy asks for.</summary>
    internal static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        const string symbols = "-_.!#%+=";
        const string all = lower + upper + digits + symbols;

        var chars = new char[24];
        chars[0] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[1] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
