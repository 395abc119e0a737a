using System.Security.Cryptography;

namespace VodConsole.Core.Access;

/// <summary>Passwords the console makes up (the first owner's, a new user's, a reset): shown once, never stored in clear.</summary>
public static class GeneratedPassword
{
    /// <summary>
    /// 24 characters with every character class the password policy asks for, without look-alikes, from an alphabet a
    /// double-click selects whole in a browser or a terminal: letters, digits and the underscore, which is the one
    /// symbol that is part of a word (the policy's "non-alphanumeric" character). About 135 bits.
    /// </summary>
    public static string Create()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        const string symbols = "_";
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
