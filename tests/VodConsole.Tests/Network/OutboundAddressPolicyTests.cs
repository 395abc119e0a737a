using System.Net;
using Microsoft.Extensions.Options;
using VodConsole.Core.Network;

namespace VodConsole.Tests.Network;

public sealed class OutboundAddressPolicyTests
{
    /// <summary>An address this host holds in the tests: public (documentation range), so only "own address" refuses it.</summary>
    private static readonly IPAddress OwnAddress = IPAddress.Parse("203.0.113.7");

    private static OutboundAddressPolicy Policy(bool allowPrivateTargets = false, params string[] allowedNetworks) =>
        new(Options.Create(new NetworkOptions { AllowPrivateTargets = allowPrivateTargets, AllowedPrivateNetworks = allowedNetworks }),
            () => [OwnAddress]);

    /// <summary>Refused by default, opened by <c>AllowPrivateTargets</c>.</summary>
    public static readonly TheoryData<string> InternalAddresses =
    [
        "127.0.0.1", "127.255.255.254",           // loopback
        "10.0.0.1", "10.255.255.255",             // private
        "172.16.0.1", "172.31.255.255",           // private
        "192.168.0.1", "192.168.255.255",         // private
        "100.64.0.1", "100.127.255.255",          // carrier-grade NAT
        "0.0.0.0", "0.1.2.3",                     // "this network"
        "224.0.0.1", "255.255.255.255",           // multicast, broadcast
        "::1", "::",                              // loopback, unspecified
        "fc00::1", "fd12:3456:789a::1",           // unique local
        "::ffff:127.0.0.1", "::ffff:10.1.2.3",    // IPv4-mapped IPv6 of internal IPv4
        "::ffff:192.168.1.1",
        "::127.0.0.1", "::10.0.0.1", "::7f00:1",  // IPv4-compatible IPv6 (::/96) of internal IPv4
        "64:ff9b::7f00:1", "64:ff9b::a00:1",      // NAT64 of 127.0.0.1 and 10.0.0.1
        "64:ff9b:1::808:808",                     // local-use NAT64: translated inside the site
        "2002:7f00:1::1", "2002:a00:1:5::",       // 6to4 of 127.0.0.1 and 10.0.0.1
        "2001:0:7f00:1::1",                       // Teredo with the server 127.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",   // Teredo with the client 127.0.0.1 (stored inverted)
        "203.0.113.7", "::ffff:203.0.113.7",      // this host's own (public) interface address
    ];

    /// <summary>Refused even with <c>AllowPrivateTargets</c>; opened only by listing them.</summary>
    public static readonly TheoryData<string> MetadataAddresses =
    [
        "169.254.169.254", "169.254.0.23", "169.254.0.1", "169.254.170.2", // link-local: AWS/GCP/Azure, Tencent Cloud, ECS
        "100.100.100.200",                        // Alibaba Cloud metadata
        "fd00:ec2::254",                          // AWS metadata over IPv6
        "fe80::1", "fe80::1%2", "febf::1",        // IPv6 link-local, with and without a scope
        "::ffff:169.254.169.254", "::169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::",
    ];

    public static readonly TheoryData<string> PublicAddresses =
    [
        "8.8.8.8", "1.1.1.1", "93.184.216.34",
        "9.255.255.255", "11.0.0.0",              // either side of 10/8
        "172.15.255.255", "172.32.0.0",           // either side of 172.16/12
        "192.167.255.255", "192.169.0.0",         // either side of 192.168/16
        "169.253.255.255", "169.255.0.0",         // either side of 169.254/16
        "100.63.255.255", "100.128.0.0",          // either side of 100.64/10
        "2001:4860:4860::8888", "2606:4700:4700::1111",
        "fbff::1", "fec0::1",                     // either side of fc00::/7 and fe80::/10
        "::ffff:8.8.8.8",                         // IPv4-mapped public
        "::8.8.8.8",                              // IPv4-compatible public
        "64:ff9b::808:808",                       // NAT64 of 8.8.8.8
        "2002:808:808::1",                        // 6to4 of 8.8.8.8
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",   // Teredo: server 65.54.227.120, client 192.0.2.45
        "203.0.113.8",                            // next to this host's address
    ];

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    [MemberData(nameof(MetadataAddresses))]
    public void Internal_metadata_and_own_addresses_are_refused(string address) =>
        Assert.NotNull(Policy().Refusal(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(Policy().IsAllowed(IPAddress.Parse(address)));
        Assert.True(Policy(allowPrivateTargets: true).IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public void AllowPrivateTargets_allows_internal_addresses(string address) =>
        Assert.True(Policy(allowPrivateTargets: true).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(MetadataAddresses))]
    public void Metadata_and_link_local_stay_refused_with_AllowPrivateTargets_unless_listed(string address)
    {
        var refusal = Policy(allowPrivateTargets: true).Refusal(IPAddress.Parse(address));
        Assert.NotNull(refusal);
        Assert.True(refusal.Metadata);

        var listed = Policy(true, "169.254.0.0/16", "fe80::/10", "fd00:ec2::254", "100.100.100.200");
        Assert.True(listed.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("10.1.2.3", "a private or other internal address")]
    [InlineData("::10.1.2.3", "a private or other internal address")]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fefc", "a private or other internal address")] // Teredo client 10.0.1.3
    [InlineData("169.254.169.254", "a cloud metadata or link-local address")]
    [InlineData("203.0.113.7", "an address of this server itself")]
    public void A_refusal_says_what_the_address_is(string address, string what) =>
        Assert.Equal(what, Policy().Refusal(IPAddress.Parse(address))!.What);

    [Fact]
    public void Allowed_private_networks_open_only_those_addresses()
    {
        var policy = Policy(false, "10.0.5.0/24", "127.0.0.1", "fd00::/8", "203.0.113.7");

        Assert.True(policy.IsAllowed(IPAddress.Parse("10.0.5.20")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("::ffff:10.0.5.20")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("::10.0.5.20")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("2002:a00:514::")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("fd00::5")));
        Assert.True(policy.IsAllowed(OwnAddress));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.6.1")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("::1")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("fd00:ec2::254"))); // metadata inside a listed range: listed on its own only
    }

    [Fact]
    public void The_hosts_real_interface_addresses_are_refused()
    {
        var policy = new OutboundAddressPolicy(Options.Create(new NetworkOptions()));

        Assert.NotEmpty(HostAddresses.Current());
        Assert.All(HostAddresses.Current(), own => Assert.False(policy.IsAllowed(own), $"{own} is this host's own address"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://2130706433/hook", "127.0.0.1 is a loopback address")]     // the same address as one number
    [InlineData("http://LOCALHOST.:8080/hook", "localhost. is a loopback address")] // a localhost name, any case, trailing dot
    [InlineData("http://media.localhost/a.mp4", "media.localhost is a loopback address")]
    [InlineData("http://[::127.0.0.1]/hook", "[::127.0.0.1] is a loopback address")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "[::ffff:10.0.0.1] is a private or other internal address")]
    [InlineData("http://[2002:a00:1::]/hook", "[2002:a00:1::] is a private or other internal address")]
    [InlineData("http://10.0.5.20/a.mp4", "10.0.5.20 is a private or other internal address")]
    public void A_url_the_policy_always_refuses_is_named_with_the_setting_that_allows_it(string url, string start)
    {
        var message = Policy().RefusalForHost(new Uri(url));

        Assert.NotNull(message);
        Assert.StartsWith(start, message);
        Assert.Contains("list it in Network:AllowedPrivateNetworks", message);
        Assert.Contains("Network:AllowPrivateTargets=true opens every internal address", message);
    }

    [Fact]
    public void A_metadata_url_says_AllowPrivateTargets_does_not_open_it()
    {
        var message = Policy(allowPrivateTargets: true).RefusalForHost(new Uri("http://169.254.169.254/latest/meta-data/"));

        Assert.Equal(
            "169.254.169.254 is a cloud metadata or link-local address, which the console does not connect to. To allow it, list it in "
            + "Network:AllowedPrivateNetworks (one address or range, such as \"10.0.5.20\" or \"10.0.5.0/24\"); Network:AllowPrivateTargets "
            + "does not open metadata and link-local addresses.",
            message);
    }

    [Theory]
    [InlineData("https://example.com/hook")]          // a name: decided when connecting, whatever it resolves to
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://localhost.example.com/hook")] // not a localhost name
    public void A_public_address_or_a_host_name_is_left_to_the_connection(string url) =>
        Assert.Null(Policy().RefusalForHost(new Uri(url)));

    [Fact]
    public void Allowed_urls_pass_when_their_address_is_opened()
    {
        Assert.Null(Policy(allowPrivateTargets: true).RefusalForHost(new Uri("http://LOCALHOST.:8080/")));
        Assert.Null(Policy(false, "10.0.5.0/24").RefusalForHost(new Uri("http://10.0.5.20/a.mp4")));
        Assert.Null(Policy(false, "127.0.0.1").RefusalForHost(new Uri("http://localhost:8080/"))); // one of its addresses is opened
    }

    [Fact]
    public void A_malformed_allowed_network_stops_start_up_with_the_key_named()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Policy(false, "10.0.5.0/33"));

        Assert.Contains("Network:AllowedPrivateNetworks", failure.Message);
        Assert.Contains("10.0.5.0/33", failure.Message);
    }
}
