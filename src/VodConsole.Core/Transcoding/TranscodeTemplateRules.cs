using System.Globalization;
using VodConsole.Core.Common;

namespace VodConsole.Core.Transcoding;

/// <summary>A custom template as an operator enters it.</summary>
public sealed record TranscodeTemplateEdit(string? Name, TranscodeFormat Format, IReadOnlyList<TranscodeRendition> Renditions);

/// <summary>
/// The rules of a custom template, each refused with a message that names the rendition and the allowed range. The
/// dialog calls them as one types; the service calls them again before anything is written.
/// </summary>
public static class TranscodeTemplateRules
{
    public const int MaxRenditions = 6;
    public const int MaxCustomTemplates = 50;
    public const int MinHeight = 144;
    public const int MaxHeight = 2160;
    public const int MinVideoKbps = 64;
    public const int MaxVideoKbps = 50_000;
    public const int MinFrameRate = 1;
    public const int MaxFrameRate = 60;
    public const int MinAudioKbps = 32;
    public const int MaxAudioKbps = 320;

    public static string ValidName(string? name) =>
        TextRules.Required(name, TranscodeTemplate.NameMaxLength, "Enter a name for the template.", "template name", "Name");

    /// <summary>Custom templates produce HLS or MP4; audio only is a preset's.</summary>
    public static void ValidFormat(TranscodeFormat format)
    {
        if (format is not (TranscodeFormat.Hls or TranscodeFormat.Mp4))
        {
            throw new DomainRuleException("A custom template produces HLS or MP4; use the audio-only preset for audio.", "Format");
        }
    }

    /// <summary>Checks every rendition and returns them sorted from the smallest height up (the order of the ladder).</summary>
    public static List<TranscodeRendition> ValidRenditions(IReadOnlyList<TranscodeRendition>? renditions)
    {
        if (renditions is null || renditions.Count == 0)
        {
            throw new DomainRuleException("Add at least one rendition.", "Renditions");
        }
        if (renditions.Count > MaxRenditions)
        {
            throw new DomainRuleException($"A template has at most {MaxRenditions} renditions; this one has {renditions.Count}.", "Renditions");
        }
        for (var i = 0; i < renditions.Count; i++)
        {
            Check(renditions[i], i + 1);
        }
        if (renditions.GroupBy(r => r.Height).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DomainRuleException($"Two renditions are {twice.Key}p; give each rendition its own height.", "Renditions");
        }
        return renditions.OrderBy(r => r.Height).ToList();
    }

    private static void Check(TranscodeRendition rendition, int number)
    {
        Range(rendition.Height, MinHeight, MaxHeight, number, "height", "pixels");
        if (rendition.Height % 2 != 0)
        {
            throw new DomainRuleException($"Rendition {number}: the height must be an even number of pixels (H.264 needs it); {rendition.Height} is odd.", "Renditions");
        }
        Range(rendition.VideoBitrateKbps, MinVideoKbps, MaxVideoKbps, number, "video bitrate", "kbit/s");
        Range(rendition.MaxFrameRate, MinFrameRate, MaxFrameRate, number, "frame-rate cap", "frames per second");
        Range(rendition.AudioBitrateKbps, MinAudioKbps, MaxAudioKbps, number, "audio bitrate", "kbit/s");
    }

    private static void Range(int value, int min, int max, int number, string what, string unit)
    {
        if (value < min || value > max)
        {
            throw new DomainRuleException(string.Format(CultureInfo.InvariantCulture,
                "Rendition {0}: the {1} must be between {2:N0} and {3:N0} {4}; {5:N0} was given.", number, what, min, max, unit, value), "Renditions");
        }
    }
}
