using VodConsole.Core.Common;

namespace VodConsole.Core.Accounts;

public enum BillingMode { Daily, Monthly }

public enum ServiceStatus { Active, Suspended }

/// <summary>The one VOD account this console administers (a single row).</summary>
public sealed class Account : IVersioned
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public BillingMode BillingMode { get; set; } = BillingMode.Daily;
    public ServiceStatus ServiceStatus { get; set; } = ServiceStatus.Active;
    public bool SubApplicationsEnabled { get; set; }
    public DateTime? SubApplicationsEnabledAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
}
