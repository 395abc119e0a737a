using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;

namespace VodConsole.Core.Instances;

/// <summary>
/// Which console instances are alive on this database: each renews its row every <see cref="InstanceOptions.Heartbeat"/>
/// and counts as dead after three missed beats (or at once, on the same machine, when its process is gone). Start-up asks
/// whether it is alone (then whatever was in flight belongs to nobody and is recovered at once) and which instances' job
/// leases it may give back.
/// </summary>
public sealed class InstanceRegistry(
    ApplicationData data, InstanceIdentity instance, IOptions<InstanceOptions> options, AccessPolicy access, TimeProvider clock)
{
    public string Id => instance.Id;

    /// <summary>How long an instance counts as alive after its last beat: three beats.</summary>
    public TimeSpan AliveFor => 3 * options.Value.Heartbeat;

    /// <summary>Says this instance is alive for three more beats (the first call registers it).</summary>
    public async Task BeatAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = Now;
        var until = now + AliveFor;
        await using var db = await data.OpenSystemWideAsync(ct);
        if (await db.ConsoleInstances.Where(i => i.Id == instance.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.AliveUntil, until), ct) == 0)
        {
            db.ConsoleInstances.Add(new ConsoleInstance
            {
                Id = instance.Id, Machine = instance.Machine, ProcessId = instance.ProcessId, StartedAt = now, AliveUntil = until,
            });
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// The IDs of the other instances alive now: their heartbeat holds, and, on this machine, their process runs (a
    /// previous run of this server that was killed a moment ago is dead, although its heartbeat has not run out).
    /// </summary>
    public async Task<List<string>> OthersAliveAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var now = Now;
        await using var db = await data.OpenSystemWideAsync(ct);
        var beating = await db.ConsoleInstances.AsNoTracking()
            .Where(i => i.Id != instance.Id && i.AliveUntil > now).OrderBy(i => i.Id).ToListAsync(ct);
        return beating.Where(i => !instance.IsCertainlyDead(i)).Select(i => i.Id).ToList();
    }

    /// <summary>A graceful stop: the instance leaves, so nobody waits for its heartbeat to run out. Rows of long-dead instances go too.</summary>
    public async Task LeaveAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        var longAgo = Now - TimeSpan.FromDays(1);
        await using var db = await data.OpenSystemWideAsync(ct);
        await db.ConsoleInstances.Where(i => i.Id == instance.Id || i.AliveUntil < longAgo).ExecuteDeleteAsync(ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
