using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace VodConsole.Core.Api;

/// <summary>
/// Makes key IDs and secrets, and keeps secrets encrypted at rest with ASP.NET Core Data Protection, as the playback
/// signing key is: HMAC verification needs the secret itself, so a one-way hash cannot be stored instead
/// (docs/decisions/0008-api-keys.md).
/// </summary>
public sealed class ApiKeySecrets(IDataProtectionProvider dataProtection)
{
    public const string KeyIdPrefix = "AKID";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly IDataProtector protector = dataProtection.CreateProtector("VodConsole.Api.KeySecret");

    /// <summary>"AKID" and 24 letters and digits: public, but not guessable either.</summary>
    public static string NewKeyId() => KeyIdPrefix + Random(24);

    /// <summary>40 letters and digits (about 238 bits).</summary>
    public static string NewSecret() => Random(40);

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
