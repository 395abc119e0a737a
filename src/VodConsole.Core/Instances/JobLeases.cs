using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Instances;

/// <summary>
/// A row that is a long job of the queue (a URL pull, media processing, a transcoding job). Whoever works on it holds a
/// lease: its instance, until when, and the attempt number the claim gave it. Map <see cref="Attempt"/> and
/// <see cref="LeaseOwner"/> as concurrency tokens, so a tracked save of a runner whose lease was taken over, or given up
/// (a cancel), fails.
/// </summary>
public interface ILeasedJob : IApplicationOwned
{
    long Id { get; }
    /// <summary>The instance working on the job; null when nobody is.</summary>
    string? LeaseOwner { get; set; }
    /// <summary>Until when the lease holds without a heartbeat; after that any instance may take the job over.</summary>
    DateTime? LeaseUntil { get; set; }
    /// <summary>How many times the job was claimed: every claim counts one up, and every write of a runner names its attempt.</summary>
    int Attempt { get; set; }
}

/// <summary>A job as claimed: the row read right after the claim, and the lease every write of this runner is fenced by.</summary>
public sealed record JobLease<T>(T Job, string Owner, int Attempt) where T : class, ILeasedJob;

/// <summary>What makes one kind of job leasable.</summary>
/// <param name="Name">For the log ("Transcoding job").</param>
/// <param name="Pending">Rows that want a runner: waiting, or being worked on (by a lease that may have run out).</param>
/// <param name="Order">Which pending row goes first.</param>
/// <param name="Start">What a claim writes besides the lease (the state "running", its start time).</param>
/// <param name="Requeue">What giving the job back writes besides clearing the lease (the state "queued", progress reset).</param>
public sealed record LeasedJobKind<T>(
    string Name,
    Expression<Func<T, bool>> Pending,
    Func<IQueryable<T>, IOrderedQueryable<T>> Order,
    Action<UpdateSettersBuilder<T>, DateTime> Start,
    Action<UpdateSettersBuilder<T>> Requeue) where T : class, ILeasedJob;

/// <summary>
/// Leases for long jobs, shared by every kind (decision 0017). A claim is one conditional update that counts the attempt up
/// and names this instance, so of several instances racing for a job exactly one gets it; which job a claimer tries is
/// the engine's way (<see cref="IJobClaimQuery"/>: on PostgreSQL, rows other instances are claiming are skipped). The holder renews the lease
/// while it works (<see cref="Hold{T}"/>); if its instance dies, the lease runs out and another instance takes the job
/// over with the next attempt. Every write of a runner is fenced by its attempt: a stale runner's late progress or
/// completion changes nothing, and the runner discards its outputs.
/// </summary>
public sealed class JobLeases(
    ApplicationData data, IJobClaimQuery claims, InstanceIdentity instance, AccessPolicy access, IOptions<ProcessingOptions> options, TimeProvider clock,
    ILogger<JobLeases> logger)
{
    public TimeSpan Duration => options.Value.JobLease;

    /// <summary>Claims the first pending job that nobody holds (or whose lease ran out); null when there is none.</summary>
    public async Task<JobLease<T>?> ClaimNextAsync<T>(LeasedJobKind<T> kind, CancellationToken ct = default) where T : class, ILeasedJob
    {
        access.RequireSystem();
        while (true)
        {
            var now = Now;
            DateTime? until = now + Duration;
            T? next;
            // System-wide: the next job may be any application's. The claim changes only its lease and state, by ID; the
            // job's row is then read in its application's context.
            await using (var queue = await data.OpenSystemWideAsync(ct))
            {
                next = await claims.ClaimFirstAsync(queue, kind.Order(Claimable(queue.Set<T>().AsNoTracking(), kind, now)), async candidate =>
                {
                    var attempt = candidate.Attempt + 1;
                    return await Claimable(queue.Set<T>(), kind, now)
                        .Where(j => j.Id == candidate.Id && j.Attempt == candidate.Attempt)
                        .ExecuteUpdateAsync(s =>
                        {
                            kind.Start(s, now);
                            s.SetProperty(j => j.LeaseOwner, instance.Id).SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Attempt, attempt);
                        }, ct) == 1; // 0: another runner was quicker, the next candidate is tried
                }, ct);
            }
            if (next is null)
            {
                return null;
            }
            var lease = new JobLease<T>(next, instance.Id, next.Attempt + 1);
            if (next.LeaseOwner is not null)
            {
                logger.LogWarning("{Kind} {JobId} of application {ApplicationId} lost its instance {Owner}; taken over (attempt {Attempt}).",
                    kind.Name, next.Id, next.ApplicationId, next.LeaseOwner, lease.Attempt);
            }
            await using var db = await data.OpenForAsync(next.ApplicationId, ct);
            if (await Held(db.Set<T>().AsNoTracking(), lease).SingleOrDefaultAsync(ct) is { } job)
            {
                return lease with { Job = job };
            }
        }
    }

    /// <summary>The job's row, tracked, if this lease still holds it: the runner records its outcome on it and saves (fenced by <see cref="ILeasedJob.Attempt"/>).</summary>
    public static Task<T?> FindHeldAsync<T>(VodDbContext db, JobLease<T> lease, CancellationToken ct = default) where T : class, ILeasedJob =>
        Held(db.Set<T>(), lease).SingleOrDefaultAsync(ct);

    /// <summary>Ends the lease on a row found with <see cref="FindHeldAsync{T}"/>, in the save that records the outcome.</summary>
    public static void End(ILeasedJob row)
    {
        row.LeaseOwner = null;
        row.LeaseUntil = null;
    }

    /// <summary>Writes columns of the job if this lease still holds it; false when it does not (cancelled, deleted, taken over).</summary>
    public async Task<bool> UpdateHeldAsync<T>(JobLease<T> lease, Action<UpdateSettersBuilder<T>> set, CancellationToken ct = default)
        where T : class, ILeasedJob
    {
        access.RequireSystem();
        await using var db = await data.OpenForAsync(lease.Job.ApplicationId, ct);
        return await Held(db.Set<T>(), lease).ExecuteUpdateAsync(set, ct) == 1;
    }

    /// <summary>Gives the job back to the queue (a graceful stop): another instance may take it at once.</summary>
    public Task<bool> ReleaseAsync<T>(LeasedJobKind<T> kind, JobLease<T> lease) where T : class, ILeasedJob =>
        UpdateHeldAsync(lease, s => Unlease(kind, s), CancellationToken.None);

    /// <summary>
    /// Gives back every lease of an instance that is not alive (<paramref name="alive"/> lists the other instances that
    /// are), so its jobs are taken at once instead of when the lease runs out. Call at start, before this instance claims
    /// anything.
    /// </summary>
    public async Task<int> ReleaseAbandonedAsync<T>(LeasedJobKind<T> kind, IReadOnlyCollection<string> alive, CancellationToken ct = default)
        where T : class, ILeasedJob
    {
        access.RequireSystem();
        var owners = alive.ToList();
        // System-wide on purpose: start-up recovery serves every application and changes only the leases.
        await using var db = await data.OpenSystemWideAsync(ct);
        return await db.Set<T>().Where(kind.Pending).Where(j => j.LeaseOwner != null && !owners.Contains(j.LeaseOwner))
            .ExecuteUpdateAsync(s => Unlease(kind, s), ct);
    }

    /// <summary>
    /// Starts renewing the lease (four times per lease, at least once a second); <paramref name="beat"/> adds columns to each
    /// renewal (progress). The returned token is cancelled when the lease is lost or <paramref name="ct"/> is; dispose to stop.
    /// </summary>
    public HeldLease Hold<T>(JobLease<T> lease, Action<UpdateSettersBuilder<T>>? beat, CancellationToken ct) where T : class, ILeasedJob
    {
        var interval = TimeSpan.FromTicks(Math.Min(Duration.Ticks / 4, TimeSpan.FromSeconds(1).Ticks));
        return new HeldLease(ct, clock, interval, () =>
        {
            DateTime? until = Now + Duration;
            return UpdateHeldAsync(lease, s =>
            {
                beat?.Invoke(s);
                s.SetProperty(j => j.LeaseUntil, until);
            }, CancellationToken.None);
        });
    }

    private static void Unlease<T>(LeasedJobKind<T> kind, UpdateSettersBuilder<T> s) where T : class, ILeasedJob
    {
        kind.Requeue(s);
        s.SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null);
    }

    private static IQueryable<T> Claimable<T>(IQueryable<T> jobs, LeasedJobKind<T> kind, DateTime now) where T : class, ILeasedJob =>
        jobs.Where(kind.Pending).Where(j => j.LeaseOwner == null || j.LeaseUntil < now);

    private static IQueryable<T> Held<T>(IQueryable<T> jobs, JobLease<T> lease) where T : class, ILeasedJob =>
        jobs.Where(j => j.Id == lease.Job.Id && j.Attempt == lease.Attempt && j.LeaseOwner == lease.Owner);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}

/// <summary>A lease being renewed in the background while its job runs (<see cref="JobLeases.Hold{T}"/>).</summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task beating;

    internal HeldLease(CancellationToken ct, TimeProvider clock, TimeSpan interval, Func<Task<bool>> renew)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        beating = BeatAsync(clock, interval, renew);
    }

    /// <summary>Cancelled when the lease is lost or the instance stops: the job's work stops with it.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>The job was cancelled, deleted or taken over: whatever the runner made is not its to record.</summary>
    public bool IsLost { get; private set; }

    private async Task BeatAsync(TimeProvider clock, TimeSpan interval, Func<Task<bool>> renew)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, clock, stop.Token);
                bool held;
                try
                {
                    held = await renew();
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    continue; // the database busy for a moment: the lease lasts four beats, the next one renews it
                }
                if (!held)
                {
                    IsLost = true;
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops renewing; the runner's outcome, saved next, ends the lease.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }
        await beating;
        stop.Dispose();
    }
}
