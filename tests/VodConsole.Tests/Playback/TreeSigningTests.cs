using VodConsole.Core.Playback;

namespace VodConsole.Tests.Playback;

/// <summary>The directory-scoped signature of a transcoding job's output tree (decision 0014).</summary>
public sealed class TreeSigningTests
{
    private const string Key = "Secret1234Key";
    private const long App = 1500000123, Media = 42, Job = 7;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The <c>t</c> and <c>sign</c> segments of a signed prefix, as the endpoint's route reads them.</summary>
    private static (string T, string Sign) Parts(string signedDirectory)
    {
        var rest = signedDirectory[TreeSigning.DirectoryOf(App, Media, Job).Length..].Split('/');
        Assert.Equal(TreeSigning.Marker, rest[0]);
        return (rest[1], rest[2]);
    }

    [Fact]
    public void A_signed_prefix_sits_under_the_job_directory_and_verifies_until_it_expires()
    {
        var prefix = TreeSigning.SignedDirectory(Key, App, Media, Job, Now.AddMinutes(10));
        var (t, sign) = Parts(prefix);

        Assert.Matches($"^/play/{App}/{Media}/outputs/{Job}/s/[0-9a-f]+/[0-9a-f]{{64}}/$", prefix);
        Assert.Equal(SignatureCheck.Valid, TreeSigning.Verify(Key, App, Media, Job, t, sign, Now));
        Assert.Equal(SignatureCheck.Valid, TreeSigning.Verify(Key, App, Media, Job, t, sign, Now.AddMinutes(10)));
    }

    [Fact]
    public void An_expired_prefix_is_expired()
    {
        var (t, sign) = Parts(TreeSigning.SignedDirectory(Key, App, Media, Job, Now.AddMinutes(-1)));

        Assert.Equal(SignatureCheck.Expired, TreeSigning.Verify(Key, App, Media, Job, t, sign, Now));
    }

    [Fact]
    public void A_tampered_signature_or_a_moved_expiry_is_bad()
    {
        var (t, sign) = Parts(TreeSigning.SignedDirectory(Key, App, Media, Job, Now.AddMinutes(10)));
        var flipped = (sign[0] == 'a' ? 'b' : 'a') + sign[1..];
        var later = Now.AddDays(30).ToUnixTimeSeconds().ToString("x");

        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App, Media, Job, t, flipped, Now));
        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App, Media, Job, later, sign, Now));
        Assert.Equal(SignatureCheck.Missing, TreeSigning.Verify(Key, App, Media, Job, t, "", Now));
        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify("OtherKey5678", App, Media, Job, t, sign, Now));
    }

    [Fact]
    public void A_prefix_authorises_neither_another_application_nor_another_media_nor_another_job()
    {
        var (t, sign) = Parts(TreeSigning.SignedDirectory(Key, App, Media, Job, Now.AddMinutes(10)));

        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App + 1, Media, Job, t, sign, Now));
        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App, Media + 1, Job, t, sign, Now));
        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App, Media, Job + 1, t, sign, Now));
    }

    [Fact]
    public void A_tree_signature_and_an_original_signature_are_never_valid_as_each_other()
    {
        var (t, sign) = Parts(TreeSigning.SignedDirectory(Key, App, Media, Job, Now.AddMinutes(10)));
        var original = UrlSigning.Sign(Key, PlaybackSettingsService.PlayPath(App, Media), Now.AddMinutes(10));

        Assert.Equal(SignatureCheck.BadSignature, UrlSigning.Verify(Key, PlaybackSettingsService.PlayPath(App, Media), t, sign, Now));
        Assert.Equal(SignatureCheck.BadSignature, TreeSigning.Verify(Key, App, Media, Job, original.T, original.Sign, Now));
    }

    [Theory]
    [InlineData("master.m3u8", true)]
    [InlineData("240p/index.m3u8", true)]
    [InlineData("240p/segment_000.ts", true)]
    [InlineData("../master.m3u8", false)]
    [InlineData("240p/../../8/master.m3u8", false)]
    [InlineData("./master.m3u8", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("240p//index.m3u8", false)]
    [InlineData("..\\secret", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_file_path_must_stay_inside_the_signed_tree(string? path, bool inside) =>
        Assert.Equal(inside, TreeSigning.IsInsideTree(path));
}
