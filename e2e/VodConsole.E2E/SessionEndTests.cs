using Microsoft.AspNetCore.Identity;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.E2E;

/// <summary>
/// A password reset, a lock or a removal ends the user's sessions: the next request with the old cookie is sent to
/// sign-in, and a tab left open goes there by itself within seconds (issue 12, item 7).
/// </summary>
public sealed class SessionEndTests(ConsoleFixture fixture)
{
    private readonly ConsoleServer server = fixture.Server;

    private static string StatisticsCsv =>
        $"/admin/statistics/export.csv?metric=Plays&from={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}";

    [Theory]
    [InlineData("reset")]
    [InlineData("lock")]
    [InlineData("remove")]
    public async Task An_administrator_action_ends_the_users_open_tab_and_their_old_cookie(string action)
    {
        var email = await server.CreateUserAsync(action);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/statistics");
        await tab.SignInAsync(email, ConsoleServer.UserPassword);
        await Expect(tab.Page).ToHaveURLAsync(server.Url("/admin/statistics"));
        var csv = server.Url(StatisticsCsv);
        Assert.Equal(200, (await tab.Page.APIRequest.GetAsync(csv, new() { MaxRedirects = 0 })).Status);

        var userId = (await server.Get<UserManager<ConsoleUser>>().FindByEmailAsync(email))!.Id;
        var users = server.Get<UserAccessService>();
        await (action switch
        {
            "reset" => users.ResetPasswordAsync(userId),
            "lock" => users.SetLockedAsync(userId, locked: true),
            _ => users.RemoveAsync(userId),
        });

        // Over HTTP at once: the old cookie no longer signs anyone in.
        var refused = await tab.Page.APIRequest.GetAsync(csv, new() { MaxRedirects = 0 });
        Assert.Equal(302, refused.Status);
        Assert.Contains("/Account/Login", refused.Headers["location"], StringComparison.OrdinalIgnoreCase);
        // The open tab follows within seconds, without anyone touching it.
        await Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
            new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_user_locked_out_by_failed_sign_ins_gets_not_found_from_the_csv_exports_never_an_error()
    {
        var email = await server.CreateUserAsync("lockout");
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/admin/statistics");
        await tab.SignInAsync(email, ConsoleServer.UserPassword);

        // Someone else guesses the password until the account locks: this session's cookie stays valid, its access does not.
        var identity = server.Get<UserManager<ConsoleUser>>();
        var user = (await identity.FindByEmailAsync(email))!;
        while (!await identity.IsLockedOutAsync(user))
        {
            await identity.AccessFailedAsync(user);
        }

        foreach (var path in new[] { StatisticsCsv, "/admin/audit/export.csv" })
        {
            var answer = await tab.Page.APIRequest.GetAsync(server.Url(path), new() { MaxRedirects = 0 });
            Assert.Equal(404, answer.Status);
        }
    }
}
