using VodConsole.Core.Access;
using VodConsole.Web.Access;

namespace VodConsole.Tests.Components;

public sealed class UsersAccessPageTests
{
    private static UserListing User(bool isAdministrator, params UserGrantListing[] grants) =>
        new("id", "someone@vod.test", false, isAdministrator, false, false, grants, new UserRefusals(null, null, null));

    [Fact]
    public void Grants_are_summed_up_by_access_level()
    {
        var user = User(false,
            new(1, "App A", ApplicationAccess.Full), new(2, "App B", ApplicationAccess.ReadOnly), new(3, "App C", ApplicationAccess.Full));

        Assert.Equal("Full: App A, App C · Read-only: App B", UsersAccess.GrantSummary(user));
    }

    [Fact]
    public void An_administrator_and_a_user_without_grants_say_so()
    {
        Assert.Equal("Every application (Administrator)", UsersAccess.GrantSummary(User(true)));
        Assert.Equal("No access yet", UsersAccess.GrantSummary(User(false)));
    }
}
