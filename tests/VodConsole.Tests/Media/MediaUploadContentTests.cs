using System.Text;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

public sealed class MediaUploadContentTests
{
    private static byte[] Bytes(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            bytes.AddRange(part switch
            {
                string text => Encoding.ASCII.GetBytes(text),
                byte[] raw => raw,
                int b => [(byte)b],
                _ => throw new ArgumentException("Unknown part."),
            });
        }
        bytes.AddRange(new byte[64]); // a little body after the header
        return [.. bytes];
    }

    private static byte[] TransportStream()
    {
        var bytes = new byte[3 * 188];
        bytes[0] = bytes[188] = bytes[376] = 0x47;
        return bytes;
    }

    public static TheoryData<string, byte[], MediaKind, string> Accepted => new()
    {
        { "MP4", Bytes(new byte[] { 0, 0, 0, 0x20 }, "ftypisom"), MediaKind.Video, "video/mp4" },
        { "MOV", Bytes(new byte[] { 0, 0, 0, 0x14 }, "ftypqt  "), MediaKind.Video, "video/quicktime" },
        { "WebM", Bytes(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x84 }, "webm"), MediaKind.Video, "video/webm" },
        { "MKV", Bytes(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88 }, "matroska"), MediaKind.Video, "video/x-matroska" },
        { "AVI", Bytes("RIFF", new byte[] { 1, 2, 3, 4 }, "AVI LIST"), MediaKind.Video, "video/x-msvideo" },
        { "MPEG-TS", TransportStream(), MediaKind.Video, "video/mp2t" },
        { "MP3 with ID3", Bytes("ID3", 4, 0), MediaKind.Audio, "audio/mpeg" },
        { "MP3 frame", Bytes(0xFF, 0xFB, 0x90, 0x64), MediaKind.Audio, "audio/mpeg" },
        { "WAV", Bytes("RIFF", new byte[] { 1, 2, 3, 4 }, "WAVEfmt "), MediaKind.Audio, "audio/wav" },
        { "OGG", Bytes("OggS", 0), MediaKind.Audio, "audio/ogg" },
        { "FLAC", Bytes("fLaC", 0), MediaKind.Audio, "audio/flac" },
        { "M4A", Bytes(new byte[] { 0, 0, 0, 0x20 }, "ftypM4A "), MediaKind.Audio, "audio/mp4" },
        { "JPEG", Bytes(0xFF, 0xD8, 0xFF, 0xE0), MediaKind.Image, "image/jpeg" },
        { "PNG", Bytes(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), MediaKind.Image, "image/png" },
        { "GIF", Bytes("GIF89a"), MediaKind.Image, "image/gif" },
        { "WebP", Bytes("RIFF", new byte[] { 1, 2, 3, 4 }, "WEBPVP8 "), MediaKind.Image, "image/webp" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Each_supported_family_is_recognised_by_its_first_bytes(string name, byte[] head, MediaKind kind, string contentType)
    {
        var format = MediaContent.Sniff(head);

        Assert.True(format is not null, $"{name} was not recognised.");
        Assert.Equal(new MediaFormat(kind, contentType), format);
    }

    [Theory]
    [InlineData("Just some notes, nothing to see here.\n")]
    [InlineData("GGGG a text that starts with the MPEG-TS sync byte")]
    [InlineData("RIFF....CDR vector drawing")]
    [InlineData("")]
    public void Text_and_other_files_are_refused(string text)
    {
        Assert.Null(MediaContent.Sniff(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("Holiday.mp4", "Holiday")]
    [InlineData("  spaced name .mov", "spaced name")]
    [InlineData("C:\\Users\\me\\clip.webm", "clip")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData(".mp4", "Untitled")]
    public void The_title_is_the_file_name_without_extension_trimmed(string fileName, string title)
    {
        Assert.Equal(title, MediaUploadService.TitleFrom(fileName));
    }

    [Fact]
    public void A_long_title_is_cut_to_200_characters()
    {
        Assert.Equal(new string('a', MediaItem.TitleMaxLength), MediaUploadService.TitleFrom(new string('a', 300) + ".mp4"));
    }
}
