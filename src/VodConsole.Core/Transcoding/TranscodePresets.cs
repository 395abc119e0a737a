namespace VodConsole.Core.Transcoding;

/// <summary>
/// The system presets every application may use and none may change. They are code, not rows, so "read-only for
/// everyone" needs no check: there is nothing to write. Their negative IDs never collide with a custom template's.
/// </summary>
public static class TranscodePresets
{
    public const long HlsLadderId = -1;
    public const long Mp4720Id = -2;
    public const long AudioAacId = -3;

    public static IReadOnlyList<TranscodeTemplateView> All { get; } =
    [
        new(HlsLadderId, "HLS adaptive ladder", TranscodeFormat.Hls,
        [
            new(360, 800, 30, 96),
            new(540, 1500, 30, 128),
            new(720, 2800, 30, 128),
            new(1080, 5000, 30, 128),
        ], 0, null),
        new(Mp4720Id, "MP4 720p", TranscodeFormat.Mp4, [new(720, 2800, 30, 128)], 0, null),
        new(AudioAacId, "Audio only (AAC 128 kbit/s)", TranscodeFormat.Audio, [new(0, 0, 0, 128)], 0, null),
    ];

    public static TranscodeTemplateView? Find(long id) => All.FirstOrDefault(p => p.Id == id);
}
