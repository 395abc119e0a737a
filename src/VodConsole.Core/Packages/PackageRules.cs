using VodConsole.Core.Accounts;
using VodConsole.Core.Common;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Packages;

/// <summary>Units, limits and the status rule of resource packages.</summary>
public static class PackageRules
{
    // The units statistics and bills use (see UsageUnits), so a package and the usage it covers read alike.
    public const long BytesPerGigabyte = UsageUnits.BytesPerGigabyte;
    public const long BytesPerTerabyte = UsageUnits.BytesPerTerabyte;
    public const long SecondsPerMinute = 60;

    public const long MaxTerabytes = 1024;
    public const long MaxMinutes = 10_000_000;
    public const int MaxValidityYears = 3;
    public const int MaxYearsAhead = 1;

    public static bool IsMeasuredInBytes(PackageType type) => type is PackageType.Storage or PackageType.Traffic;

    /// <summary>The largest amount one package may hold, in base units (bytes or seconds).</summary>
    public static long MaxAmount(PackageType type) =>
        IsMeasuredInBytes(type) ? MaxTerabytes * BytesPerTerabyte : MaxMinutes * SecondsPerMinute;

    /// <summary>The roll-up a package type is settled against.</summary>
    public static UsageMetric MetricOf(PackageType type) => type switch
    {
        PackageType.Storage => UsageMetric.StorageBytes,
        PackageType.Traffic => UsageMetric.TrafficBytes,
        PackageType.Transcode => UsageMetric.TranscodeSeconds,
        PackageType.Review => UsageMetric.ReviewSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Storage is a level the package caps each day; the other types are amounts drawn down day by day.</summary>
    public static bool IsCapacity(PackageType type) => UsageMetrics.AggregationOf(MetricOf(type)) == UsageAggregation.Level;

    /// <summary>
    /// A package's status today. A package bought to start later is Effective (or Frozen) before its start date too:
    /// the SPEC has no fifth status, and "not started" is a matter of date, shown as "Effective from ..." on the page.
    /// Settlement never draws on it before <see cref="ResourcePackage.StartsOn"/>.
    /// </summary>
    public static PackageStatus StatusOf(ResourcePackage package, BillingMode billingMode, DateOnly today)
    {
        if (today > package.ExpiresOn)
        {
            return PackageStatus.Expired;
        }
        if (package.Left == 0)
        {
            return PackageStatus.Exhausted;
        }
        return billingMode == BillingMode.Monthly ? PackageStatus.Frozen : PackageStatus.Effective;
    }

    /// <summary>Checks a purchase before it is registered; raises the operator's message for the first broken rule.</summary>
    public static void ValidatePurchase(PackageType type, long amount, DateOnly startsOn, DateOnly expiresOn, DateOnly today)
    {
        if (!Enum.IsDefined(type))
        {
            throw new DomainRuleException("Choose the package type: Storage, Traffic, Transcode or Review.", nameof(ResourcePackage.Type));
        }
        if (amount <= 0)
        {
            throw new DomainRuleException("Enter an amount greater than zero.", nameof(ResourcePackage.Amount));
        }
        if (amount > MaxAmount(type))
        {
            var limit = IsMeasuredInBytes(type) ? $"{MaxTerabytes:N0} TB" : $"{MaxMinutes:N0} minutes";
            throw new DomainRuleException($"A {type.ToString().ToLowerInvariant()} package holds at most {limit}.", nameof(ResourcePackage.Amount));
        }
        if (expiresOn < startsOn)
        {
            throw new DomainRuleException("The expiry date cannot be before the start date.", nameof(ResourcePackage.ExpiresOn));
        }
        if (expiresOn < today)
        {
            throw new DomainRuleException("This package has already expired; enter an expiry date from today on.", nameof(ResourcePackage.ExpiresOn));
        }
        if (expiresOn > startsOn.AddYears(MaxValidityYears))
        {
            throw new DomainRuleException($"A package is valid for at most {MaxValidityYears} years.", nameof(ResourcePackage.ExpiresOn));
        }
        if (startsOn > today.AddYears(MaxYearsAhead))
        {
            throw new DomainRuleException($"A package can start at most {MaxYearsAhead} year from today.", nameof(ResourcePackage.StartsOn));
        }
    }
}
