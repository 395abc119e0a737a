using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Common;

namespace VodConsole.Core.Access;

internal static class IdentityResults
{
    /// <summary>Identity reports refusals as results; the console's pages show <see cref="DomainRuleException"/>s.</summary>
    public static void ThrowIfFailed(this IdentityResult result, string? field = null)
    {
        if (!result.Succeeded)
        {
            throw new DomainRuleException(string.Join(" ", result.Errors.Select(e => e.Description)), field);
        }
    }
}
