using System.Text;
using VodConsole.Client;

namespace VodConsole.Tests.Api;

/// <summary>The signature scheme itself: the worked example of docs/api.md, and how the canonical request is formed.</summary>
public sealed class ApiSignatureTests
{
    // The worked example of docs/api.md, byte for byte: keep the two in step.
    public const string ExampleKeyId = "AKIDEXAMPLE7n3Kq9ZfR2tW5yB8";
    public const string ExampleSecret = "vodSecretEXAMPLE4p8Qw2Zr6Tn1Lx9Kb3Vm7Hc5Js0";
    public const string ExampleBody = """{"MediaIds":[1001,1002]}""";
    public const string ExampleBodySha256 = "2728dd8d6410f882ca1f3476dac836baf581cac24d30cad40d4e5ade6e842e35";
    public const string ExampleCanonicalRequest =
        "POST\n/api/v1/media/batch-get\nSubAppId=1500000123\nhost:vod.example.com\nx-vod-keyid:AKIDEXAMPLE7n3Kq9ZfR2tW5yB8\n"
        + "x-vod-nonce:5f2c8d1e9a7b4c3d\nx-vod-timestamp:1767225600\n" + ExampleBodySha256;
    public const string ExampleStringToSign =
        "VOD-HMAC-SHA256\n1767225600\nf0e00ab357b96c5c74556b98f5828b52b19d1551c2892adfd7e706ad2d03d2fa";
    public const string ExampleSignature = "195dff86fc327e74880d7247e930fe535e0de72b6c2767b37dfac1b2ce23e6cf";

    private static readonly VodApiRequest Example = new(
        "POST", "vod.example.com", "/api/v1/media/batch-get", "SubAppId=1500000123",
        ExampleKeyId, 1767225600, "5f2c8d1e9a7b4c3d", ExampleBodySha256);

    [Fact]
    public void The_documented_example_gives_the_documented_canonical_request_string_to_sign_and_signature()
    {
        Assert.Equal(ExampleBodySha256, VodApiSignature.Sha256Hex(Encoding.UTF8.GetBytes(ExampleBody)));
        Assert.Equal(ExampleCanonicalRequest, VodApiSignature.CanonicalRequest(Example));
        Assert.Equal(ExampleStringToSign, VodApiSignature.StringToSign(Example));
        Assert.Equal(ExampleSignature, VodApiSignature.Sign(Example, ExampleSecret));
    }

    [Fact]
    public void The_documented_example_is_in_docs_api_md()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api.md"));

        foreach (var value in new[] { ExampleKeyId, ExampleSecret, ExampleBody, ExampleBodySha256, ExampleSignature, ExampleCanonicalRequest, ExampleStringToSign })
        {
            Assert.Contains(value, docs.ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void Any_change_to_a_signed_part_changes_the_signature()
    {
        var variants = new[]
        {
            Example with { Method = "PUT" },
            Example with { Path = "/api/v1/media/move" },
            Example with { Query = "SubAppId=1500000124" },
            Example with { Host = "other.example.com" },
            Example with { KeyId = ExampleKeyId + "X" },
            Example with { Timestamp = Example.Timestamp + 1 },
            Example with { Nonce = "5f2c8d1e9a7b4c3e" },
            Example with { ContentSha256 = VodApiSignature.EmptySha256 },
        };

        Assert.All(variants, v => Assert.NotEqual(ExampleSignature, VodApiSignature.Sign(v, ExampleSecret)));
        Assert.NotEqual(ExampleSignature, VodApiSignature.Sign(Example, ExampleSecret + "x"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?b=2&a=1", "a=1&b=2")]
    [InlineData("Text=hello+world&SubAppId=0", "SubAppId=0&Text=hello%20world")]
    [InlineData("Text=caf%C3%A9%2Bt%C3%A9&Tag=a%26b", "Tag=a%26b&Text=caf%C3%A9%2Bt%C3%A9")]
    [InlineData("a=2&a=1&flag", "a=1&a=2&flag=")]
    [InlineData("b=~._-&a=*", "a=%2A&b=~._-")]
    public void The_query_is_decoded_escaped_the_one_way_and_sorted(string query, string canonical)
    {
        Assert.Equal(canonical, VodApiSignature.CanonicalQuery(query));
    }

    [Theory]
    [InlineData("/api/v1/media/123", "/api/v1/media/123")]
    [InlineData("/api/v1/a%20b/c d", "/api/v1/a%20b/c%20d")]
    [InlineData("", "/")]
    public void The_path_is_escaped_segment_by_segment(string path, string canonical)
    {
        Assert.Equal(canonical, VodApiSignature.CanonicalPath(path));
    }

    [Fact]
    public void Host_and_method_case_do_not_matter()
    {
        Assert.Equal(ExampleSignature, VodApiSignature.Sign(Example with { Method = "post", Host = "VOD.Example.com" }, ExampleSecret));
    }

    [Fact]
    public async Task The_signer_adds_every_header_and_signs_what_the_server_will_see()
    {
        var clock = new TestClock(DateTimeOffset.FromUnixTimeSeconds(1767225600));
        var signer = new VodApiSigner(ExampleKeyId, ExampleSecret, clock);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://vod.example.com/api/v1/media/batch-get?SubAppId=1500000123")
        {
            Content = new StringContent(ExampleBody, Encoding.UTF8, "application/json"),
        };

        await signer.SignAsync(request);

        string Header(string name) => Assert.Single(request.Headers.GetValues(name));
        Assert.Equal(ExampleKeyId, Header(VodApiSignature.KeyIdHeader));
        Assert.Equal("1767225600", Header(VodApiSignature.TimestampHeader));
        Assert.Equal(ExampleBodySha256, Header(VodApiSignature.ContentSha256Header));
        var nonce = Header(VodApiSignature.NonceHeader);
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        Assert.Equal(VodApiSignature.Sign(Example with { Nonce = nonce }, ExampleSecret), Header(VodApiSignature.SignatureHeader));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "VodConsole.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (VodConsole.sln) was not found.");
    }
}
