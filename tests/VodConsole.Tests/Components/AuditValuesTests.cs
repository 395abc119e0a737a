using Bunit;
using VodConsole.Web.Audit;

namespace VodConsole.Tests.Components;

public sealed class AuditValuesTests : MudTestContext
{
    [Fact]
    public void Only_the_values_that_changed_are_listed_with_grants_by_application_name()
    {
        var values = Render<AuditValues>(p => p
            .Add(v => v.Before, "{\"IsAdministrator\":false,\"Grants\":{\"7\":\"ReadOnly\"}}")
            .Add(v => v.After, "{\"IsAdministrator\":false,\"Grants\":{\"7\":\"Full\"}}")
            .Add(v => v.ApplicationName, id => id == 7 ? "Marketing" : null));

        var row = Assert.Single(values.FindAll("[data-testid='audit-change-row']"));
        Assert.Equal("Grants", row.GetAttribute("data-name"));
        Assert.Equal("Marketing: Read-only", row.QuerySelector("[data-testid='audit-before']")!.TextContent);
        Assert.Equal("Marketing: Full", row.QuerySelector("[data-testid='audit-after']")!.TextContent);
    }

    [Fact]
    public void A_new_value_reads_from_a_dash()
    {
        var values = Render<AuditValues>(p => p.Add(v => v.Before, null).Add(v => v.After, "{\"Email\":\"a@b.c\"}"));

        Assert.Equal("—", values.Find("[data-testid='audit-before']").TextContent);
        Assert.Equal("a@b.c", values.Find("[data-testid='audit-after']").TextContent);
    }
}
