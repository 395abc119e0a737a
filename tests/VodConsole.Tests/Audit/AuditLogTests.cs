using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;

namespace VodConsole.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public async Task An_entry_names_the_user_and_role_of_the_circuit_and_keeps_before_and_after()
    {
        await using var console = await TestConsole.StartAsync();
        var app = (await console.Get<ApplicationService>().ListAsync()).Single();
        var scope = await console.InApplicationAsync(app.Id);
        var audit = scope.GetRequiredService<AuditLog>();
        var user = scope.GetRequiredService<VodConsole.Core.Roles.RoleContext>().Catalog!;

        await audit.RecordAsync(AuditActions.MediaUpdated, app.Id, "Media 7 \"Intro\"", new { Title = "Intro" }, new { Title = "Intro <b>v2</b>" });

        var entry = (await audit.PageAsync(new AuditQuery(), null)).Entries.Single();
        Assert.Equal(user.UserName, entry.Actor);
        Assert.Equal(user.UserId, entry.UserId);
        Assert.Equal(app.Name, entry.Role);
        Assert.Equal(app.Id, entry.ApplicationId);
        Assert.Equal("{\"Title\":\"Intro\"}", entry.Before);
        Assert.Contains("v2", entry.After);
    }

    [Fact]
    public async Task Enum_values_are_recorded_by_name()
    {
        await using var console = await TestConsole.StartAsync();
        var audit = console.Get<AuditLog>();

        await audit.RecordAsync(AuditActions.ApplicationStatusChanged, null, "Application 1", new { Status = ApplicationStatus.Enabled }, new { Status = ApplicationStatus.Disabled });

        var entry = (await audit.PageAsync(new AuditQuery(), null)).Entries.Single();
        Assert.Equal(("{\"Status\":\"Enabled\"}", "{\"Status\":\"Disabled\"}"), (entry.Before, entry.After));
    }

    [Fact]
    public async Task Work_without_a_user_is_recorded_as_the_system()
    {
        await using var console = await TestConsole.StartAsync();
        var audit = console.Get<AuditLog>();

        await audit.RecordAsync(AuditActions.PackageRegistered, null, "Package 1");

        Assert.Equal(AuditLog.SystemActor, (await audit.PageAsync(new AuditQuery(), null)).Entries.Single().Actor);
    }

    [Fact]
    public async Task Entries_can_be_neither_changed_nor_deleted()
    {
        await using var console = await TestConsole.StartAsync();
        await console.Get<AuditLog>().RecordAsync(AuditActions.SignIn, null, "User a@b.c");

        await using (var db = await console.OpenDbAsync())
        {
            var entry = await db.AuditEntries.SingleAsync();
            entry.Target = "forged";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        await using (var db = await console.OpenDbAsync())
        {
            var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEntries" SET "Target" = 'forged'"""));
            var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" """));
            Assert.Contains("append-only", update.Message);
            Assert.Contains("append-only", delete.Message);
            Assert.Equal("User a@b.c", (await db.AuditEntries.SingleAsync()).Target);
        }
    }

    [Fact]
    public async Task Filters_and_keyset_pages_list_the_newest_first()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var audit = console.Get<AuditLog>();
        for (var i = 0; i < 5; i++)
        {
            await audit.RecordAsync(null, i % 2 == 0 ? "ann@x.test" : "bob@x.test", "", AuditActions.SignIn, i < 3 ? 42 : null, $"#{i}");
            clock.Now = clock.Now.AddDays(1);
        }

        var first = await audit.PageAsync(new AuditQuery(), null, size: 2);
        var second = await audit.PageAsync(new AuditQuery(), first.NextBefore, size: 2);

        Assert.Equal(["#4", "#3"], first.Entries.Select(e => e.Target));
        Assert.Equal(["#2", "#1"], second.Entries.Select(e => e.Target));
        Assert.Equal(["#4", "#2", "#0"], (await audit.PageAsync(new AuditQuery(Actor: "ann@x.test"), null)).Entries.Select(e => e.Target));
        Assert.Equal(["#2", "#1", "#0"], (await audit.PageAsync(new AuditQuery(ApplicationId: 42), null)).Entries.Select(e => e.Target));
        Assert.Equal(["#2", "#1"], (await audit.PageAsync(new AuditQuery(From: new DateOnly(2026, 5, 2), To: new DateOnly(2026, 5, 3)), null)).Entries.Select(e => e.Target));
        Assert.Empty((await audit.PageAsync(new AuditQuery(Action: AuditActions.MediaDeleted), null)).Entries);
    }

    [Fact]
    public async Task Full_access_users_read_their_application_s_entries_and_nobody_else_reads_more()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var applications = console.Get<ApplicationService>();
        var a = (await applications.CreateSubApplicationAsync("App A", null)).Id;
        var b = (await applications.CreateSubApplicationAsync("App B", null)).Id;
        var audit = console.Get<AuditLog>();
        await audit.RecordAsync(AuditActions.MediaDeleted, a, "in A");
        await audit.RecordAsync(AuditActions.MediaDeleted, b, "in B");
        var full = await console.AddUserAsync("full@x.test");
        var reader = await console.AddUserAsync("reader@x.test");
        await using (var db = await console.OpenDbAsync())
        {
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = full, ApplicationId = a, Access = ApplicationAccess.Full });
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = reader, ApplicationId = a, Access = ApplicationAccess.ReadOnly });
            await db.SaveChangesAsync();
        }

        var fullLog = (await console.AsUserAsync(full, a)).GetRequiredService<AuditLog>();
        Assert.Equal("in A", (await fullLog.PageAsync(new AuditQuery(ApplicationId: a), null)).Entries.First().Target);
        Assert.DoesNotContain(await fullLog.AllAsync(new AuditQuery(ApplicationId: a)).ToListAsync(), e => e.ApplicationId != a);
        await Assert.ThrowsAsync<AccessDeniedException>(() => fullLog.PageAsync(new AuditQuery(ApplicationId: b), null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fullLog.PageAsync(new AuditQuery(), null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fullLog.ActorsAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await fullLog.AllAsync(new AuditQuery()).ToListAsync());

        var readerLog = (await console.AsUserAsync(reader, a)).GetRequiredService<AuditLog>();
        await Assert.ThrowsAsync<AccessDeniedException>(() => readerLog.PageAsync(new AuditQuery(ApplicationId: a), null));
    }

    [Fact]
    public void A_query_survives_the_trip_through_the_csv_link_and_bad_values_are_ignored()
    {
        var query = new AuditQuery("ann@x.test", 42, AuditActions.MediaMoved, new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 31));
        var parameters = System.Web.HttpUtility.ParseQueryString(query.QueryString);

        Assert.Equal(query, AuditQuery.Parse(parameters["actor"], parameters["app"], parameters["action"], parameters["from"], parameters["to"]));
        Assert.Equal(new AuditQuery(), AuditQuery.Parse(" ", "-1", "", "2026-13-01", "yesterday"));
    }

    [Fact]
    public void A_csv_row_quotes_user_text_and_defuses_formulas()
    {
        var row = AuditCsv.Row(new AuditEntry
        {
            Id = 9, At = new DateTime(2026, 5, 1, 8, 30, 0, DateTimeKind.Utc), Actor = "ann@x.test", Role = "Admin",
            ApplicationId = 42, Action = AuditActions.ApplicationUpdated, Target = "=HYPERLINK(\"x\")", Before = "{\"Name\":\"A\"}",
        });

        Assert.Equal("9,2026-05-01T08:30:00Z,\"ann@x.test\",\"Admin\",42,\"application.update\",\"'=HYPERLINK(\"\"x\"\")\",\"{\"\"Name\"\":\"\"A\"\"}\",\"\"", row);
    }
}

public sealed class AuditChangeTests
{
    [Fact]
    public void Values_line_up_by_name_and_say_whether_they_changed()
    {
        var values = AuditChange.Compare("{\"Name\":\"A\",\"Status\":0,\"Grants\":{\"7\":\"Full\"}}", "{\"Name\":\"B\",\"Status\":0,\"Note\":null}");

        Assert.Equal(
            [
                new AuditChangedValue("Name", "A", "B"), new AuditChangedValue("Status", "0", "0"),
                new AuditChangedValue("Grants", "{\"7\":\"Full\"}", null), new AuditChangedValue("Note", null, "null"),
            ],
            values);
        Assert.Equal([true, false, true, true], values.Select(v => v.Changed));
    }

    [Fact]
    public void Entries_with_one_side_or_no_json_object_still_show_as_stored()
    {
        Assert.Equal([new AuditChangedValue("Email", null, "a@b.c")], AuditChange.Compare(null, "{\"Email\":\"a@b.c\"}"));
        Assert.Equal([new AuditChangedValue("", "{\"Name\":\"clipped…", null)], AuditChange.Compare("{\"Name\":\"clipped…", null));
        Assert.Equal([new AuditChangedValue("", "[1,2]", "3")], AuditChange.Compare("[1,2]", "3"));
        Assert.Empty(AuditChange.Compare(null, null));
    }
}
