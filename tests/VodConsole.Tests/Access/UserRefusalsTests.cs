using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Access;

public sealed class UserRefusalsTests
{
    [Fact]
    public void The_last_administrator_cannot_be_removed_by_anyone()
    {
        var last = new ConsoleUser { Id = "last", IsAdministrator = true };

        Assert.Equal("The last administrator cannot be removed.", UserRefusals.For(last, "someone-else", administratorCount: 1).Remove);
        Assert.Null(UserRefusals.For(last, "someone-else", administratorCount: 2).Remove);
    }

    [Fact]
    public void A_user_without_administrator_access_has_none_to_take_away()
    {
        var editor = new ConsoleUser { Id = "editor" };

        Assert.Equal(new UserRefusals(null, null, null), UserRefusals.For(editor, "admin", administratorCount: 1));
    }
}
