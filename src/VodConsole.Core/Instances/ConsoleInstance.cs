namespace VodConsole.Core.Instances;

/// <summary>
/// A console instance working on this database, as long as it renews its row (<see cref="InstanceRegistry"/>). Leases
/// of jobs name their instance; an instance whose row ran out is dead, and start-up gives its leases back at once.
/// </summary>
public sealed class ConsoleInstance
{
    public const int IdMaxLength = 64;
    public const int MachineMaxLength = 40;

    public string Id { get; set; } = "";
    public string Machine { get; set; } = "";
    public int ProcessId { get; set; }
    public DateTime StartedAt { get; set; }
    /// <summary>Until when the instance counts as alive without another heartbeat.</summary>
    public DateTime AliveUntil { get; set; }
}

/// <summary>
/// Once-per-period work (settlement, pruning, retention, storage maintenance) across instances: one row per kind of
/// work. An instance runs the work only if it moved <see cref="NextRunAt"/> on from a time already past, in one
/// conditional update, so of several instances exactly one runs it per period (<see cref="PeriodLeases"/>).
/// </summary>
public sealed class PeriodLease
{
    public const int KindMaxLength = 64;

    public string Kind { get; set; } = "";
    /// <summary>The instance that ran (or runs) the current period.</summary>
    public string? Holder { get; set; }
    public DateTime NextRunAt { get; set; }
}
