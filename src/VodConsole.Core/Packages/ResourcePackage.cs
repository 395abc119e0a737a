using VodConsole.Core.Accounts;
using VodConsole.Core.Common;

namespace VodConsole.Core.Packages;

public enum PackageType { Storage, Traffic, Transcode, Review }

/// <summary>
/// The four statuses of the SPEC, and Cancelled for a package withdrawn by an administrator (registered by mistake, or
/// refunded). They are derived, never stored: from the cancellation, the validity period, what is left and the
/// account's billing mode (see <see cref="PackageRules.StatusOf"/>), so switching billing mode needs no data change.
/// </summary>
public enum PackageStatus { Effective, Frozen, Expired, Exhausted, Cancelled }

/// <summary>
/// A purchased resource package. It belongs to the account, never to an application. Amounts are in base units:
/// bytes for Storage and Traffic, seconds for Transcode and Review (the units of the daily roll-ups).
/// </summary>
public sealed class ResourcePackage : IVersioned
{
    public long Id { get; set; }

    /// <summary>
    /// The order number or a name the administrator gives it, to tell packages apart on the page, in the audit log and
    /// against the invoice; optional (packages registered before it existed have none), see <see cref="PackageRules.DisplayName"/>.
    /// </summary>
    public string? Name { get; set; }

    public PackageType Type { get; set; }
    public long Amount { get; set; }

    /// <summary>
    /// Traffic, Transcode, Review: the running sum of what settlements took from it. Storage is capacity, not a
    /// stock: the part of the account's storage level it covered on the latest settled day.
    /// </summary>
    public long Used { get; set; }

    public long Left => Math.Max(0, Amount - Used);

    /// <summary>First UTC day the package may be used.</summary>
    public DateOnly StartsOn { get; set; }

    /// <summary>Last UTC day the package may be used (inclusive).</summary>
    public DateOnly ExpiresOn { get; set; }

    /// <summary>
    /// Set when the package was cancelled: the first UTC day it no longer covers (the day of the cancellation, which is
    /// not settled yet). Days before it stay settled as they were.
    /// </summary>
    public DateOnly? CancelledOn { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// The settlement of one UTC day for one package type: the account's usage, the part packages covered and the rest,
/// billed pay-as-you-go. One row per (day, type); its existence marks the day settled, which makes settling idempotent.
/// </summary>
public sealed class PackageSettlement
{
    public DateOnly Day { get; set; }
    public PackageType Type { get; set; }
    public long Usage { get; set; }
    public long Covered { get; set; }
    public long PayAsYouGo { get; set; }

    /// <summary>The billing mode the day was settled under (Monthly: packages were frozen, nothing was covered).</summary>
    public BillingMode BillingMode { get; set; }

    public DateTime SettledAt { get; set; }
}
