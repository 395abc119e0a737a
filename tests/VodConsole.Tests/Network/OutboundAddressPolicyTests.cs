using System.Net;
using Microsoft.Extensions.Options;
using VodConsole.Core.Network;

namespace VodConsole.Tests.Network;

public sealed class OutboundAddressPolicyTests
{
    private static OutboundAddressPolicy Policy(bool allowPrivateTargets = false, params string[] allowedNetworks) =>
        new(Options.Create(new NetworkOptions { AllowPrivateTargets = allowPrivateTargets, AllowedPrivateNetworks = allowedNetworks }));

    public static readonly TheoryData<string> InternalAddresses =
    [
        "127.0.0.1", "127.255.255.254",           // loopback
        "10.0.0.1", "10.255.255.255",             // private
        "172.16.0.1", "172.31.255.255",           // private
        "192.168.0.1", "192.168.255.255",         // private
        "169.254.169.254", "169.254.0.1",         // link-local, cloud metadata
        "100.100.100.200",                        // carrier-grade NAT, Alibaba Cloud metadata
        "0.0.0.0", "0.1.2.3",                     // "this network"
        "224.0.0.1", "255.255.255.255",           // multicast, broadcast
        "::1", "::",                              // loopback, unspecified
        "fc00::1", "fd12:3456:789a::1",           // unique local
        "fe80::1", "fe80::1%2", "febf::1",        // link-local, with and without a scope
        "::ffff:127.0.0.1", "::ffff:10.1.2.3",    // IPv4-mapped IPv6 of internal IPv4
        "::ffff:169.254.169.254", "::ffff:192.168.1.1",
        "64:ff9b::7f00:1",                        // NAT64 of 127.0.0.1
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
        "64:ff9b::808:808",                       // NAT64 of 8.8.8.8
    ];

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public void Internal_addresses_are_refused(string address)
    {
        Assert.True(OutboundAddressPolicy.IsInternal(IPAddress.Parse(address)));
        Assert.False(Policy().IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.False(OutboundAddressPolicy.IsInternal(IPAddress.Parse(address)));
        Assert.True(Policy().IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public void AllowPrivateTargets_allows_internal_addresses(string address) =>
        Assert.True(Policy(allowPrivateTargets: true).IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void Allowed_private_networks_open_only_those_addresses()
    {
        var policy = Policy(false, "10.0.5.0/24", "127.0.0.1", "fd00::/8");

        Assert.True(policy.IsAllowed(IPAddress.Parse("10.0.5.20")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("::ffff:10.0.5.20")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("fd00::5")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.6.1")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void A_malformed_allowed_network_stops_start_up_with_the_key_named()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Policy(false, "10.0.5.0/33"));

        Assert.Contains("Network:AllowedPrivateNetworks", failure.Message);
        Assert.Contains("10.0.5.0/33", failure.Message);
    }
}
