using System.Globalization;
using VodConsole.Core.Common;
using VodConsole.Core.Packages;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Chargeback;

/// <summary>What chargeback puts a price on: storage, traffic, transcoding by output tier, review.</summary>
public enum ChargeResource { Storage, Traffic, TranscodeSd, TranscodeHd, TranscodeFhd, Transcode2K, Transcode4K, TranscodeAudio, Review }

/// <summary>
/// The unit prices an administrator sets for chargeback, one row for the account. Prices are stored as whole
/// micro-units of the account's currency (1 = 0.000001) in 64-bit integers, not as decimal columns: SQLite keeps a
/// decimal as TEXT, which sorts and sums wrongly in SQL, and PostgreSQL's numeric would read differently; integers mean
/// the same on both engines, and every calculation turns them into <see cref="decimal"/> in C# (exactly: 10^-6 steps).
/// </summary>
public sealed class ChargebackRates : IVersioned
{
    /// <summary>Always 1: the account has one price list.</summary>
    public int Id { get; set; } = 1;

    /// <summary>Per GB (10^9 bytes) stored for a whole month; a day counts as 1/(days in its month).</summary>
    public long StorageGbMonthMicros { get; set; }
    public long TrafficGbMicros { get; set; }
    /// <summary>Per minute of transcoding output, by tier (see <see cref="UsageMetrics.TranscodeTierOf"/>).</summary>
    public long TranscodeSdMinuteMicros { get; set; }
    public long TranscodeHdMinuteMicros { get; set; }
    public long TranscodeFhdMinuteMicros { get; set; }
    public long Transcode2KMinuteMicros { get; set; }
    public long Transcode4KMinuteMicros { get; set; }
    public long TranscodeAudioMinuteMicros { get; set; }
    public long ReviewMinuteMicros { get; set; }

    public DateTime ModifiedAt { get; set; }
    public long Version { get; set; }

    public decimal PriceOf(ChargeResource resource) => Money.FromMicros(MicrosOf(resource));

    public long MicrosOf(ChargeResource resource) => resource switch
    {
        ChargeResource.Storage => StorageGbMonthMicros,
        ChargeResource.Traffic => TrafficGbMicros,
        ChargeResource.TranscodeSd => TranscodeSdMinuteMicros,
        ChargeResource.TranscodeHd => TranscodeHdMinuteMicros,
        ChargeResource.TranscodeFhd => TranscodeFhdMinuteMicros,
        ChargeResource.Transcode2K => Transcode2KMinuteMicros,
        ChargeResource.Transcode4K => Transcode4KMinuteMicros,
        ChargeResource.TranscodeAudio => TranscodeAudioMinuteMicros,
        ChargeResource.Review => ReviewMinuteMicros,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, null),
    };

    internal void Set(ChargeResource resource, long micros)
    {
        switch (resource)
        {
            case ChargeResource.Storage: StorageGbMonthMicros = micros; break;
            case ChargeResource.Traffic: TrafficGbMicros = micros; break;
            case ChargeResource.TranscodeSd: TranscodeSdMinuteMicros = micros; break;
            case ChargeResource.TranscodeHd: TranscodeHdMinuteMicros = micros; break;
            case ChargeResource.TranscodeFhd: TranscodeFhdMinuteMicros = micros; break;
            case ChargeResource.Transcode2K: Transcode2KMinuteMicros = micros; break;
            case ChargeResource.Transcode4K: Transcode4KMinuteMicros = micros; break;
            case ChargeResource.TranscodeAudio: TranscodeAudioMinuteMicros = micros; break;
            case ChargeResource.Review: ReviewMinuteMicros = micros; break;
            default: throw new ArgumentOutOfRangeException(nameof(resource), resource, null);
        }
    }
}

/// <summary>The price list as the page edits it: a price per resource and the version it was read at.</summary>
public sealed record ChargebackPrices(IReadOnlyDictionary<ChargeResource, decimal> Prices, long Version);

/// <summary>Money in the account's currency: micro-unit storage, cent rounding, one way of writing it.</summary>
public static class Money
{
    public const int PriceDecimals = 6;
    public const int AmountDecimals = 2;
    public const decimal MaxPrice = 1_000_000m;
    public const decimal MaxBudget = 1_000_000_000m;
    private const decimal MicrosPerUnit = 1_000_000m;

    public static decimal FromMicros(long micros) => micros / MicrosPerUnit;

    public static long ToMicros(decimal amount) => (long)(amount * MicrosPerUnit);

    /// <summary>Rounded to the cent, half away from zero (what "rounded to the cent" means on a bill).</summary>
    public static decimal ToCent(decimal amount) => Math.Round(amount, AmountDecimals, MidpointRounding.AwayFromZero);

    public static string Format(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>How many decimal places the value was written with (trailing zeros do not count).</summary>
    public static int DecimalPlaces(decimal value)
    {
        var places = 0;
        while (value != decimal.Truncate(value) && places < 29)
        {
            value *= 10;
            places++;
        }
        return places;
    }

    /// <summary>Checks an amount typed by an administrator: not negative, at most the limit and the decimals given.</summary>
    public static long ValidMicros(decimal value, int decimals, decimal max, string what, string field)
    {
        if (value < 0)
        {
            throw new DomainRuleException($"The {what} cannot be negative.", field);
        }
        if (value > max)
        {
            throw new DomainRuleException($"The {what} can be at most {max.ToString("#,##0", CultureInfo.InvariantCulture)}.", field);
        }
        if (DecimalPlaces(value) > decimals)
        {
            throw new DomainRuleException($"The {what} can have at most {decimals} decimal places.", field);
        }
        return ToMicros(value);
    }
}

/// <summary>Names, units and roll-ups of the resources chargeback prices.</summary>
public static class ChargeResources
{
    public static IReadOnlyList<ChargeResource> All { get; } = Enum.GetValues<ChargeResource>();

    public static string DisplayName(ChargeResource resource) => resource switch
    {
        ChargeResource.Storage => "Storage",
        ChargeResource.Traffic => "Traffic",
        ChargeResource.TranscodeSd => "Transcoding SD",
        ChargeResource.TranscodeHd => "Transcoding HD",
        ChargeResource.TranscodeFhd => "Transcoding FHD",
        ChargeResource.Transcode2K => "Transcoding 2K",
        ChargeResource.Transcode4K => "Transcoding 4K",
        ChargeResource.TranscodeAudio => "Transcoding audio",
        ChargeResource.Review => "Review",
        _ => resource.ToString(),
    };

    /// <summary>The unit its price is per, and its quantities are stated in.</summary>
    public static string Unit(ChargeResource resource) => resource switch
    {
        ChargeResource.Storage => "GB-month",
        ChargeResource.Traffic => "GB",
        _ => "minute",
    };

    /// <summary>The daily roll-up the resource is measured by.</summary>
    public static UsageMetric MetricOf(ChargeResource resource) => resource switch
    {
        ChargeResource.Storage => UsageMetric.StorageBytes,
        ChargeResource.Traffic => UsageMetric.TrafficBytes,
        ChargeResource.TranscodeSd => UsageMetric.TranscodeSecondsSd,
        ChargeResource.TranscodeHd => UsageMetric.TranscodeSecondsHd,
        ChargeResource.TranscodeFhd => UsageMetric.TranscodeSecondsFhd,
        ChargeResource.Transcode2K => UsageMetric.TranscodeSeconds2K,
        ChargeResource.Transcode4K => UsageMetric.TranscodeSeconds4K,
        ChargeResource.TranscodeAudio => UsageMetric.TranscodeSecondsAudio,
        ChargeResource.Review => UsageMetric.ReviewSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, null),
    };

    /// <summary>The package type whose settlement covers the resource (all transcoding tiers draw on Transcode packages).</summary>
    public static PackageType PackageOf(ChargeResource resource) => resource switch
    {
        ChargeResource.Storage => PackageType.Storage,
        ChargeResource.Traffic => PackageType.Traffic,
        ChargeResource.Review => PackageType.Review,
        _ => PackageType.Transcode,
    };

    /// <summary>
    /// A day's roll-up value in the price's unit: storage bytes held for a day are GB × 1/(days in the month), bytes
    /// of traffic are GB, seconds are minutes.
    /// </summary>
    public static decimal Quantity(ChargeResource resource, DateOnly day, long value) => resource switch
    {
        ChargeResource.Storage => value / (decimal)UsageUnits.BytesPerGigabyte / DateTime.DaysInMonth(day.Year, day.Month),
        ChargeResource.Traffic => value / (decimal)UsageUnits.BytesPerGigabyte,
        _ => value / 60m,
    };
}
