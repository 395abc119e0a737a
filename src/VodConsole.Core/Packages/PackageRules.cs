using VodConsole.Core.Accounts;
using VodConsole.Core.Common;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Packages;

/// <summary>What a package is bought as: the fields registration sets and a correction may change.</summary>
public sealed record PackageTerms(string? Name, PackageType Type, long Amount, DateOnly StartsOn, DateOnly ExpiresOn);

/// <summary>
/// What may be done to a package today, and why not (null where allowed): one answer for the page, which disables what
/// is refused and shows the reason, and for <see cref="PackageLedger"/>, which refuses it with the same words.
/// </summary>
/// <param name="WhyNotCorrect">Why it cannot be edited at all (it was cancelled).</param>
/// <param name="WhyTypeAndStartAreFixed">Why its type and start date cannot change (usage has been settled against it).</param>
/// <param name="MinimumAmount">The least amount a correction may give it, in base units: what it has covered already.</param>
/// <param name="EarliestExpiry">The earliest expiry date a correction may give it: the last day settled against it.</param>
/// <param name="WhyNotCancel">Why it cannot be cancelled (already cancelled, or expired).</param>
public sealed record PackageChanges(
    string? WhyNotCorrect, string? WhyTypeAndStartAreFixed, long MinimumAmount, DateOnly? EarliestExpiry, string? WhyNotCancel);

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
    public const int NameMaxLength = 100;

    public static bool IsMeasuredInBytes(PackageType type) => type is PackageType.Storage or PackageType.Traffic;

    /// <summary>A package's amount as it is sold: bytes in the unit that suits them, durations always in minutes.</summary>
    public static string AmountText(PackageType type, long amount) =>
        IsMeasuredInBytes(type) ? UsageUnits.ScaleFor(UsageMetric.StorageBytes, amount).Format(amount) : UsageUnits.Minutes.Format(amount);

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
        if (package.CancelledOn is not null)
        {
            return PackageStatus.Cancelled;
        }
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

    /// <summary>
    /// How a package reads everywhere: its name or order number, else its type and number ("Traffic package 12"), so a
    /// package without a name (one registered before names existed) is still told apart.
    /// </summary>
    public static string DisplayName(ResourcePackage package) => package.Name ?? $"{package.Type} package {package.Id}";

    /// <summary>The optional name or order number, trimmed and checked like every text field; null when left empty.</summary>
    public static string? ValidName(string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? null
            : TextRules.Required(name, NameMaxLength, "Enter a name or order number, or leave it empty.", "name or order number",
                nameof(ResourcePackage.Name));

    /// <summary>
    /// What may be done to a package today, and why not. <paramref name="settledThrough"/> is the last day settled with the
    /// package registered and valid (null when no settlement can have drawn on it yet): from then on its type and start
    /// date are history, its amount cannot drop below what it has used and its expiry not before that day.
    /// </summary>
    public static PackageChanges ChangesOf(ResourcePackage package, DateOnly? settledThrough, DateOnly today)
    {
        if (package.CancelledOn is { } cancelledOn)
        {
            return new($"It was cancelled on {cancelledOn:yyyy-MM-dd} and stays as it was; register a new package instead.",
                null, package.Amount, null, "It is already cancelled.");
        }
        var fixedTerms = settledThrough is { } day
            ? $"Usage through {day:yyyy-MM-dd} has been settled against it, so its type and start date stay. If they are wrong, cancel it and register a new package."
            : null;
        var whyNotCancel = today > package.ExpiresOn ? "It has expired: it covers nothing any more." : null;
        return new(null, fixedTerms, MinimumAmount: Math.Max(1, package.Used), EarliestExpiry: settledThrough, whyNotCancel);
    }

    /// <summary>
    /// Checks a correction of <paramref name="current"/> against the purchase rules and what has been settled already
    /// (<paramref name="changes"/>); raises the operator's message for the first broken rule. Returns the valid name.
    /// </summary>
    public static string? ValidateCorrection(ResourcePackage current, PackageChanges changes, PackageTerms terms, DateOnly today)
    {
        if (changes.WhyNotCorrect is { } refused)
        {
            throw new DomainRuleException(refused);
        }
        var name = ValidName(terms.Name);
        if (changes.WhyTypeAndStartAreFixed is { } fixedTerms && (terms.Type != current.Type || terms.StartsOn != current.StartsOn))
        {
            throw new DomainRuleException(fixedTerms,
                terms.Type != current.Type ? nameof(ResourcePackage.Type) : nameof(ResourcePackage.StartsOn));
        }
        if (terms.Amount < changes.MinimumAmount && terms.Amount > 0)
        {
            var used = UsageUnits.ScaleFor(MetricOf(current.Type), current.Used);
            throw new DomainRuleException(
                $"It has covered {used.Format(current.Used)} already; the amount cannot be less than that.", nameof(ResourcePackage.Amount));
        }
        if (changes.EarliestExpiry is { } earliest && terms.ExpiresOn < earliest)
        {
            throw new DomainRuleException(
                $"Usage through {earliest:yyyy-MM-dd} has been settled against it; the expiry date cannot be earlier.", nameof(ResourcePackage.ExpiresOn));
        }
        ValidateTerms(terms.Type, terms.Amount, terms.StartsOn, terms.ExpiresOn, today, current);
        return name;
    }

    /// <summary>Checks a purchase before it is registered; raises the operator's message for the first broken rule.</summary>
    public static void ValidatePurchase(PackageType type, long amount, DateOnly startsOn, DateOnly expiresOn, DateOnly today) =>
        ValidateTerms(type, amount, startsOn, expiresOn, today, current: null);

    /// <summary>
    /// The rules every package keeps. Correcting one (<paramref name="current"/> set), the dates that did not change are
    /// not checked against today: a package that has expired can still get its name or order number.
    /// </summary>
    private static void ValidateTerms(PackageType type, long amount, DateOnly startsOn, DateOnly expiresOn, DateOnly today, ResourcePackage? current)
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
        if (expiresOn < today && expiresOn != current?.ExpiresOn)
        {
            throw new DomainRuleException("This package has already expired; enter an expiry date from today on.", nameof(ResourcePackage.ExpiresOn));
        }
        if (expiresOn > startsOn.AddYears(MaxValidityYears))
        {
            throw new DomainRuleException($"A package is valid for at most {MaxValidityYears} years.", nameof(ResourcePackage.ExpiresOn));
        }
        if (startsOn > today.AddYears(MaxYearsAhead) && startsOn != current?.StartsOn)
        {
            throw new DomainRuleException($"A package can start at most {MaxYearsAhead} year from today.", nameof(ResourcePackage.StartsOn));
        }
    }
}
