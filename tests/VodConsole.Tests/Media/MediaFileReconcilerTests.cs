using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Setup;
using VodConsole.Core.Usage;
using VodConsole.Tests.Callbacks;

namespace VodConsole.Tests.Media;

/// <summary>
/// What the start-up recovery does with the files a crash left behind (decision 0009): the rows are the truth. The
/// crash tests (<c>CrashTests</c>) show the same with a real process killed; these show each rule on its own.
/// </summary>
public sealed class MediaFileReconcilerTests : IAsyncLifetime
{
    private TestConsole console = null!;
    private long a;
    private long b;

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync(CallbackTestConsole.Services()); // recovery also gives back callback claims
        a = (await console.Get<ApplicationService>().ListAsync()).Single().Id;
        b = await console.CreateApplicationAsync("Reconciled B");
    }

    public ValueTask DisposeAsync() => console.DisposeAsync();

    private IMediaStorage Storage => console.Get<IMediaStorage>();

    [Fact]
    public async Task A_file_no_row_refers_to_is_removed_and_every_rows_file_is_kept()
    {
        var item = await AddMediaAsync(a);
        var orphan = await Storage.SaveAsync(a, new MemoryStream([1, 2, 3])); // an upload killed before its row committed

        var report = await console.Get<MediaFileReconciler>().ReconcileAsync(databaseIsNew: false);

        Assert.Equal(1, report.Removed);
        Assert.Null(Storage.LocalPathOf(orphan));
        Assert.NotNull(Storage.LocalPathOf(item.StorageKey));
        Assert.NotNull(Storage.LocalPathOf(item.CoverKey!));
    }

    [Fact]
    public async Task Files_a_move_gave_to_the_destination_before_its_rows_committed_go_back()
    {
        var item = await AddMediaAsync(a);
        Storage.MoveTo(item.StorageKey, b); // the move's first step; then the power went
        Storage.MoveTo(item.CoverKey!, b);

        var report = await console.Get<MediaFileReconciler>().ReconcileAsync(databaseIsNew: false);

        Assert.Equal(new MediaFileReport(Restored: 2, Removed: 0, Missing: 0, Kept: 0), report);
        Assert.NotNull(Storage.LocalPathOf(item.StorageKey));
        Assert.NotNull(Storage.LocalPathOf(item.CoverKey!));
        Assert.Empty(Storage.ListKeys(b));
    }

    [Fact]
    public async Task The_file_of_an_api_upload_waiting_for_its_commit_is_kept()
    {
        var key = await Storage.SaveAsync(a, new MemoryStream([1, 2, 3]));
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(a))
        {
            db.ApiUploads.Add(NewUpload(ApiUploadState.Received, key));
            await db.SaveChangesAsync();
        }

        var report = await console.Get<MediaFileReconciler>().ReconcileAsync(databaseIsNew: false);

        Assert.Equal(0, report.Removed);
        Assert.NotNull(Storage.LocalPathOf(key));
    }

    [Fact]
    public async Task Files_are_kept_when_the_database_was_created_just_now()
    {
        var stranger = await Storage.SaveAsync(a, new MemoryStream([1])); // another database's, say

        var report = await console.Get<MediaFileReconciler>().ReconcileAsync(databaseIsNew: true);

        Assert.Equal(1, report.Kept);
        Assert.NotNull(Storage.LocalPathOf(stranger));
    }

    [Fact]
    public async Task A_commit_interrupted_by_a_crash_is_received_again_so_the_client_can_commit_it()
    {
        var key = await Storage.SaveAsync(a, new MemoryStream([1, 2, 3]));
        var upload = NewUpload(ApiUploadState.Committing, key);
        await using (var db = await console.Get<ApplicationData>().OpenForAsync(a))
        {
            db.ApiUploads.Add(upload);
            await db.SaveChangesAsync();
        }

        await console.Get<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: false);

        await using var check = await console.Get<ApplicationData>().OpenForAsync(a);
        Assert.Equal(ApiUploadState.Received, (await check.ApiUploads.SingleAsync(u => u.Id == upload.Id)).State);
        Assert.NotNull(Storage.LocalPathOf(key));
    }

    [Fact]
    public async Task Storage_figures_that_disagree_with_the_rows_are_set_from_the_rows()
    {
        await AddMediaAsync(a, size: 1234);
        await console.ChangeLevelAsync(b, UsageMetric.StorageBytes, 999); // counted, but its row never committed (an older version)

        var corrected = await console.Get<UsageReconciler>().ReconcileAsync();

        Assert.Equal(3, corrected); // A's bytes and count, B's bytes (B's count was right: 0)
        var report = console.Get<UsageReport>();
        var figures = await report.FiguresByApplicationAsync(console.Get<UsageRecorder>().Today, console.Get<UsageRecorder>().Today);
        Assert.Equal(1234, figures[a][UsageMetric.StorageBytes]);
        Assert.Equal(1, figures[a][UsageMetric.MediaCount]);
        Assert.Equal(0, figures[b][UsageMetric.StorageBytes]);
        Assert.Equal(0, await console.Get<UsageReconciler>().ReconcileAsync()); // and then they agree
    }

    /// <summary>A ready media row with its file and cover, written directly (not counted in the figures).</summary>
    private async Task<MediaItem> AddMediaAsync(long app, long size = 100)
    {
        var item = new MediaItem
        {
            ApplicationId = app, Title = "Clip", Status = MediaStatus.Normal, ContentType = "video/mp4", SizeBytes = size,
            StorageKey = await Storage.SaveAsync(app, new MemoryStream(new byte[size])),
            CoverKey = await Storage.SaveAsync(app, new MemoryStream([1])),
            CreatedAt = DateTime.UtcNow,
        };
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    private ApiUpload NewUpload(ApiUploadState state, string key) => new()
    {
        Id = Guid.NewGuid().ToString("N"), ApplicationId = a, FileName = "clip.mp4", KeyId = "AKIDTEST", State = state,
        StorageKey = key, ContentType = "video/mp4", SizeBytes = 3, CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddHours(1),
    };
}
