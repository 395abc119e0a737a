using Microsoft.Extensions.Options;

namespace VodConsole.Core.Instances;

/// <summary><c>Instances:*</c> — how console instances sharing one database tell each other apart.</summary>
public sealed class InstanceOptions
{
    public const string Section = "Instances";

    /// <summary>
    /// This instance's name in leases (at most <see cref="ConsoleInstance.IdMaxLength"/> characters). The web host
    /// derives a stable one from the machine and the listen addresses, so a restarted instance recognises the leases of
    /// its previous run and gives them back at once; set it when two instances on one machine share those.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>How often a running instance says it is alive; it counts as dead after three beats missed.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>This process's instance ID, fixed for its lifetime.</summary>
public sealed class InstanceIdentity(IOptions<InstanceOptions> options)
{
    /// <summary>The configured ID, or one of its own for this process (hosts that set none, such as tests).</summary>
    public string Id { get; } = Fit(string.IsNullOrWhiteSpace(options.Value.Id) ? $"{Guid.NewGuid():N}-{Environment.MachineName}" : options.Value.Id);

    private static string Fit(string id) => id.Length <= ConsoleInstance.IdMaxLength ? id : id[..ConsoleInstance.IdMaxLength];
}
