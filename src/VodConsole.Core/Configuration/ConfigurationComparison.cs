using System.Globalization;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Configuration;

/// <summary>
/// How the right side differs from the left one, read from left to right: <see cref="Added"/> is only on the right,
/// <see cref="Removed"/> only on the left, <see cref="Changed"/> on both with other values.
/// </summary>
public enum DifferenceKind { Added, Removed, Changed }

/// <summary>One item of a section on both sides; <see cref="Kind"/> is null when both sides are alike.</summary>
/// <param name="Left">The left side's value as people read it; null when the left side does not have the item.</param>
public sealed record ConfigurationRow(ConfigSection Section, string Item, string? Left, string? Right, DifferenceKind? Kind)
{
    public bool Differs => Kind is not null;
}

/// <summary>
/// Compares two configuration documents item by item: templates by name and categories by name (ignoring case and
/// look-alike forms, as the application's own uniqueness rules do), events one by one, everything else by value.
/// Identity (application ID and name, the playback path that follows from the ID, the export time) is never compared.
/// </summary>
public static class ConfigurationComparison
{
    public const string Subscribed = "Subscribed";
    public const string Present = "Present";

    /// <summary>Every item of either side, in section order, alike or not.</summary>
    public static IReadOnlyList<ConfigurationRow> Rows(
        ConfigurationDocument left, ConfigurationDocument right, IReadOnlyCollection<ConfigSection>? sections = null)
    {
        var leftItems = Items(left);
        var rightItems = Items(right);
        var rows = new List<ConfigurationRow>();
        foreach (var section in Enum.GetValues<ConfigSection>().Where(s => sections is null || sections.Contains(s)))
        {
            var rightOfSection = rightItems.Where(i => i.Section == section).ToDictionary(i => i.Key);
            var seen = new HashSet<string>();
            foreach (var item in leftItems.Where(i => i.Section == section))
            {
                seen.Add(item.Key);
                var other = rightOfSection.GetValueOrDefault(item.Key);
                rows.Add(new ConfigurationRow(section, item.Label, item.Value, other?.Value,
                    other is null ? DifferenceKind.Removed : other.Value == item.Value ? null : DifferenceKind.Changed));
            }
            rows.AddRange(rightItems.Where(i => i.Section == section && !seen.Contains(i.Key))
                .Select(i => new ConfigurationRow(section, i.Label, null, i.Value, DifferenceKind.Added)));
        }
        return rows;
    }

    /// <summary>Only the items that differ.</summary>
    public static IReadOnlyList<ConfigurationRow> Differences(
        ConfigurationDocument left, ConfigurationDocument right, IReadOnlyCollection<ConfigSection>? sections = null) =>
        Rows(left, right, sections).Where(r => r.Differs).ToList();

    /// <summary>A template as one line: its format and each rendition.</summary>
    public static string Describe(TranscodeFormat format, IEnumerable<TranscodeRendition> renditions) =>
        $"{format.ToString().ToUpperInvariant()}: " + string.Join("; ", renditions.OrderBy(r => r.Height).Select(r =>
            string.Create(CultureInfo.InvariantCulture,
                $"{r.Height}p {r.VideoBitrateKbps} kbit/s ≤{r.MaxFrameRate} fps, audio {r.AudioBitrateKbps} kbit/s")));

    private sealed record Item(ConfigSection Section, string Key, string Label, string Value);

    private static List<Item> Items(ConfigurationDocument document)
    {
        var items = new List<Item>
        {
            new(ConfigSection.Playback, "signing", "URL signing", document.Playback.SigningEnabled ? "On" : "Off"),
            new(ConfigSection.Callbacks, "mode", "Mode", document.Callbacks.Mode.ToString()),
        };
        if (document.Callbacks.Url is { Length: > 0 } url)
        {
            items.Add(new(ConfigSection.Callbacks, "url", "Push URL", url));
        }
        items.AddRange(document.Callbacks.Events.Distinct().Order().Select(e =>
            new Item(ConfigSection.Callbacks, "event:" + e, "Event: " + CallbackSubscriptions.Label(e), Subscribed)));
        items.AddRange(document.Transcoding.Templates.Select(t =>
            new Item(ConfigSection.Transcoding, "template:" + t.Name.ToUpperInvariant(), "Template: " + t.Name, Describe(t.Format, t.Renditions))));
        items.Add(new(ConfigSection.Transcoding, "default", "Default processing", document.Transcoding.DefaultProcessing ?? "None"));
        items.Add(new(ConfigSection.Review, "mode", "Review mode", document.Review.Mode.ToString()));
        items.AddRange(document.Categories.Select(c =>
            new Item(ConfigSection.Categories, "category:" + TextRules.NameKey(c), "Category: " + c, Present)));
        // A document someone edited by hand may name an item twice: the first one counts, as applying it would.
        return items.DistinctBy(i => (i.Section, i.Key)).ToList();
    }
}
