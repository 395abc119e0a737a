using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Instances;

/// <summary>
/// Job claims with many claimers at once, each an instance of its own (its own <see cref="InstanceIdentity"/>), on the
/// engine's claim query (<see cref="IJobClaimQuery"/>; decision 0017): every job is claimed once, none is left.
/// </summary>
public sealed class JobClaimTests : IAsyncLifetime
{
    private TestConsole console = null!;
    private long app;

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync();
        app = (await console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
    }

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    /// <summary>A claimer as an instance of its own would be: its own ID, the console's database.</summary>
    private JobLeases Claimer(int number) =>
        ActivatorUtilities.CreateInstance<JobLeases>(console.SystemScope(), new InstanceIdentity($"claimer-{number}", 3000 + number));

    private async Task<List<long>> QueueAsync(int count)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var pulls = Enumerable.Range(1, count).Select(i => new MediaPull
        {
            ApplicationId = app, Url = $"https://example.com/clip-{i}.mp4", FileName = $"clip-{i}.mp4", State = MediaPullState.Queued,
            CreatedAt = DateTime.UtcNow,
        }).ToList();
        db.MediaPulls.AddRange(pulls);
        await db.SaveChangesAsync();
        return pulls.Select(p => p.Id).ToList();
    }

    private async Task<List<MediaPull>> PullsAsync()
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        return await db.MediaPulls.AsNoTracking().OrderBy(p => p.Id).ToListAsync();
    }

    [Fact]
    public async Task Many_claimers_at_once_claim_every_job_exactly_once_and_leave_none_unclaimed()
    {
        var queued = await QueueAsync(40);
        var claimers = Enumerable.Range(1, 8).Select(Claimer).ToList();

        // Each claimer takes jobs until none is left, all at once, as the pull loops of eight instances would.
        var claimed = await Task.WhenAll(claimers.Select(claimer => Task.Run(async () =>
        {
            var mine = new List<JobLease<MediaPull>>();
            while (await claimer.ClaimNextAsync(MediaPuller.Kind) is { } lease)
            {
                mine.Add(lease);
            }
            return mine;
        })));

        var leases = claimed.SelectMany(c => c).ToList();
        Assert.Equal(queued, leases.Select(l => l.Job.Id).Order());
        Assert.All(leases, l => Assert.Equal((1, MediaPullState.Downloading, l.Owner), (l.Attempt, l.Job.State, l.Job.LeaseOwner)));
        var rows = await PullsAsync();
        Assert.All(rows, row =>
        {
            var lease = leases.Single(l => l.Job.Id == row.Id);
            Assert.Equal((MediaPullState.Downloading, 1, lease.Owner), (row.State, row.Attempt, row.LeaseOwner));
        });
        Assert.Null(await Claimer(99).ClaimNextAsync(MediaPuller.Kind));
    }

    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.PostgresOnly)]
    public async Task On_PostgreSQL_a_claimer_skips_a_job_another_is_claiming_instead_of_waiting_for_it()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "SQLite has one writer at a time: two claims never run side by side there.");
        var queued = await QueueAsync(2);
        var locked = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A claim that has read (and so locked) the first job and is slow to write its update.
        var slow = Task.Run(async () =>
        {
            await using var db = await console.Get<ApplicationData>().OpenSystemWideAsync();
            return await console.Get<IJobClaimQuery>().ClaimFirstAsync(db, db.MediaPulls.OrderBy(p => p.Id), async first =>
            {
                locked.SetResult(first.Id);
                await release.Task;
                return true;
            }, CancellationToken.None);
        });
        Assert.Equal(queued[0], await locked.Task.WaitAsync(TimeSpan.FromSeconds(30)));

        // Meanwhile another instance claims: it gets the second job at once, not the first after the slow claim ends.
        var other = await Claimer(1).ClaimNextAsync(MediaPuller.Kind).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(queued[1], other?.Job.Id);
        Assert.False(slow.IsCompleted);

        release.SetResult();
        Assert.Equal(queued[0], (await slow)?.Id);
        var rows = await PullsAsync();
        Assert.Equal((MediaPullState.Queued, 0, null), (rows[0].State, rows[0].Attempt, rows[0].LeaseOwner));
        Assert.Equal((MediaPullState.Downloading, 1, other!.Owner), (rows[1].State, rows[1].Attempt, rows[1].LeaseOwner));
    }
}
