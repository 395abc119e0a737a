using System.Diagnostics;

namespace VodConsole.Core.Instances;

/// <summary><c>Instances:*</c> — how console instances sharing one database tell each other they are alive.</summary>
public sealed class InstanceOptions
{
    public const string Section = "Instances";

    /// <summary>How often a running instance says it is alive; it counts as dead after three beats missed.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// This instance, fixed for the process's lifetime: a fresh ID per start (so a restarted instance never mistakes the
/// leases of its previous run for its own), the machine and the process ID (so an instance on the same machine knows at
/// once that a previous run is dead, without waiting for its heartbeat to run out).
/// </summary>
public sealed class InstanceIdentity
{
    public string Machine { get; }

    public int ProcessId { get; }

    public string Id { get; }

    public InstanceIdentity() : this(Environment.MachineName, Environment.ProcessId)
    {
    }

    /// <summary>For tests that run several instances in one process: each pretends to be on a machine of its own.</summary>
    public InstanceIdentity(string machine, int processId)
    {
        Machine = Fit(machine, ConsoleInstance.MachineMaxLength);
        ProcessId = processId;
        Id = Fit($"{Machine}-{ProcessId}-{Guid.NewGuid().ToString("N")[..8]}", ConsoleInstance.IdMaxLength);
    }

    /// <summary>
    /// Whether an instance registered on this machine cannot be running: its process is gone, or its process ID is this
    /// process's (two live processes never share one), so it was an earlier run. Other machines' instances are judged by
    /// their heartbeat only.
    /// </summary>
    public bool IsCertainlyDead(ConsoleInstance other)
    {
        if (other.Machine != Machine)
        {
            return false;
        }
        if (other.ProcessId == ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(other.ProcessId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    private static string Fit(string value, int length) => value.Length <= length ? value : value[..length];
}
