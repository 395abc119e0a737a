using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Media;
using VodConsole.Tests.Access;

namespace VodConsole.Tests.Callbacks;

/// <summary>Which changes record which events, that they are recorded only when subscribed, and only with their change.</summary>
public sealed class CallbackEventTests
{
    [Fact]
    public async Task Every_kind_of_change_records_its_event_for_each_application_it_touches()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var a = await console.CreateApplicationAsync("Source");
        var b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Destination", null)).Id;
        await console.ConfigureCallbacksAsync(a, CallbackMode.Pull);
        await console.ConfigureCallbacksAsync(b, CallbackMode.Pull);

        var item = await console.Get<MediaUploadService>().UploadAsync(a, "clip.mp4", new MemoryStream(IsolationMatrixTests.World.Mp4()), 1_000_000);
        await console.Get<MediaProcessor>().ProcessPendingAsync(); // not a real video: processing fails, which is news too
        var edited = (await console.InAppAsync<MediaLibrary>(a)).FindAsync(item.Id);
        await (await console.InAppAsync<MediaEditor>(a)).UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Renamed", null, null, "news"), (await edited)!.Version);
        await (await console.InAppAsync<MediaMover>(a)).MoveAsync([item.Id], b);
        await (await console.InAppAsync<MediaLibrary>(b)).DeleteAsync([item.Id]);
        var applications = console.Get<ApplicationService>();
        var app = (await applications.FindAsync(a))!;
        app = await applications.SetStatusAsync(a, ApplicationStatus.Disabled, app.Version);
        await applications.SetStatusAsync(a, ApplicationStatus.Enabled, app.Version);
        await console.Get<AccountService>().SuspendAsync();
        await console.Get<AccountService>().ResumeAsync();

        var events = await console.EventsAsync();
        Assert.Equal(
            [
                "UploadComplete", "MediaProcessed", "MediaUpdated", "MediaMoved", "ApplicationDisabled", "ApplicationEnabled",
                "ApplicationDisabled", "ApplicationEnabled",
            ],
            events.Where(e => e.ApplicationId == a).Select(e => e.Type.ToString()));
        Assert.Equal(["MediaMoved", "MediaDeleted", "ApplicationDisabled", "ApplicationEnabled"],
            events.Where(e => e.ApplicationId == b).Select(e => e.Type.ToString()));
        Assert.All(events, e => Assert.Equal(CallbackMode.Pull, e.Delivery));

        string Data(long app, CallbackEventType type, string field) =>
            JsonDocument.Parse(events.First(e => e.ApplicationId == app && e.Type == type).Data).RootElement.GetProperty(field).ToString();
        Assert.Equal(item.Id.ToString(), Data(a, CallbackEventType.UploadComplete, "MediaId"));
        Assert.Equal("Failed", Data(a, CallbackEventType.MediaProcessed, "Status"));
        Assert.Equal("Renamed", Data(a, CallbackEventType.MediaUpdated, "Title"));
        // Each side of a move names itself only: neither receiver learns the other application's ID.
        Assert.Equal(a.ToString(), Data(a, CallbackEventType.MediaMoved, "FromSubAppId"));
        Assert.Equal("", Data(a, CallbackEventType.MediaMoved, "ToSubAppId"));
        Assert.Equal("", Data(b, CallbackEventType.MediaMoved, "FromSubAppId"));
        Assert.Equal(b.ToString(), Data(b, CallbackEventType.MediaMoved, "ToSubAppId"));
        Assert.Equal(item.Id.ToString(), Data(b, CallbackEventType.MediaDeleted, "MediaId"));
        Assert.Equal("Administrator", Data(a, CallbackEventType.ApplicationDisabled, "Reason"));
        Assert.Equal("ServiceSuspended", Data(b, CallbackEventType.ApplicationDisabled, "Reason"));
    }

    [Fact]
    public async Task Only_subscribed_event_types_are_recorded_and_nothing_while_callbacks_are_off()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Picky");
        var uploads = console.Get<MediaUploadService>();
        await uploads.UploadAsync(app, "before.mp4", new MemoryStream(IsolationMatrixTests.World.Mp4()), 1_000_000);
        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull, null, CallbackEventType.MediaDeleted);

        var item = await uploads.UploadAsync(app, "clip.mp4", new MemoryStream(IsolationMatrixTests.World.Mp4()), 1_000_000);
        await (await console.InAppAsync<MediaLibrary>(app)).DeleteAsync(item.Id);

        var recorded = Assert.Single(await console.EventsAsync());
        Assert.Equal(CallbackEventType.MediaDeleted, recorded.Type);
    }

    [Fact]
    public async Task A_change_that_fails_to_save_records_no_event()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Atomic");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull);
        var item = await console.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", new MemoryStream(IsolationMatrixTests.World.Mp4()), 1_000_000);
        var before = (await console.EventsAsync()).Count;
        // The database refuses the delete itself, after the event was added to the same save.
        await console.RefuseInDatabaseAsync("Media", "DELETE");

        var library = await console.InAppAsync<MediaLibrary>(app);
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => library.DeleteAsync(item.Id));

        Assert.Equal(before, (await console.EventsAsync()).Count);
        Assert.NotNull(await (await console.InAppAsync<MediaLibrary>(app)).FindAsync(item.Id));
    }

    [Fact]
    public async Task An_event_that_fails_to_save_takes_its_change_with_it()
    {
        await using var console = await TestConsole.StartAsync(CallbackTestConsole.Services());
        var app = await console.CreateApplicationAsync("Atomic upload");
        await console.ConfigureCallbacksAsync(app, CallbackMode.Pull);
        await console.RefuseInDatabaseAsync("CallbackEvents", "INSERT");

        await Assert.ThrowsAnyAsync<DbUpdateException>(() =>
            console.Get<MediaUploadService>().UploadAsync(app, "clip.mp4", new MemoryStream(IsolationMatrixTests.World.Mp4()), 1_000_000));

        await using var check = await console.Get<VodConsole.Core.Data.ApplicationData>().OpenForAsync(app);
        Assert.False(await check.Media.AnyAsync());
        Assert.Empty(Directory.Exists(Path.Combine(console.MediaRoot, app.ToString()))
            ? Directory.GetFiles(Path.Combine(console.MediaRoot, app.ToString()), "*", SearchOption.AllDirectories)
            : []);
    }
}
