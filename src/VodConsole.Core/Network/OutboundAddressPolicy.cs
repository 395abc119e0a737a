using System.Net;
using Microsoft.Extensions.Options;

namespace VodConsole.Core.Network;

/// <summary><c>Network:*</c> — where requests that users can aim (pulls, callbacks) may go.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>Lets outbound requests reach loopback and private networks: for tests and closed installations only.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// Internal addresses or ranges that are allowed all the same ("10.0.5.20", "10.0.5.0/24"), such as the media
    /// server of a closed network, without opening every internal address.
    /// </summary>
    public string[] AllowedPrivateNetworks { get; set; } = [];
}

/// <summary>
/// Decides whether the console may open a connection to an address on a user's behalf. Loopback, private, link-local,
/// cloud-metadata and similar internal addresses are refused, so a URL typed into the console cannot make the server
/// reach what only the server can reach (SSRF).
/// </summary>
public sealed class OutboundAddressPolicy
{
    private static readonly IPNetwork[] InternalRanges =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network"; 0.0.0.0 reaches the local host
        IPNetwork.Parse("10.0.0.0/8"),      // private
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT; Alibaba Cloud's metadata is 100.100.100.200
        IPNetwork.Parse("127.0.0.0/8"),     // loopback
        IPNetwork.Parse("169.254.0.0/16"),  // link-local; AWS, GCP and Azure metadata is 169.254.169.254
        IPNetwork.Parse("172.16.0.0/12"),   // private
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),  // private
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking networks
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, and 255.255.255.255 broadcast
        IPNetwork.Parse("::/128"),          // unspecified; like 0.0.0.0 it reaches the local host
        IPNetwork.Parse("::1/128"),         // loopback
        IPNetwork.Parse("fc00::/7"),        // unique local
        IPNetwork.Parse("fe80::/10"),       // link-local
        IPNetwork.Parse("ff00::/8"),        // multicast
    ];

    /// <summary>The well-known NAT64 prefix: the last 32 bits are an IPv4 address, checked as such.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly bool allowPrivateTargets;
    private readonly IPNetwork[] allowedPrivateNetworks;

    public OutboundAddressPolicy(IOptions<NetworkOptions> options)
    {
        allowPrivateTargets = options.Value.AllowPrivateTargets;
        allowedPrivateNetworks = options.Value.AllowedPrivateNetworks.Select(ParseNetwork).ToArray();
    }

    public bool IsAllowed(IPAddress address) =>
        allowPrivateTargets || !IsInternal(address) || allowedPrivateNetworks.Any(network => network.Contains(Effective(address)));

    /// <summary>True for an address inside the host or a private network rather than on the public internet.</summary>
    public static bool IsInternal(IPAddress address) => InternalRanges.Any(range => range.Contains(Effective(address)));

    /// <summary>The IPv4 address an IPv6 one carries (IPv4-mapped, NAT64), as that is where the packets go.</summary>
    private static IPAddress Effective(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : Nat64.Contains(address) ? new IPAddress(address.GetAddressBytes()[^4..])
        : address;

    private static IPNetwork ParseNetwork(string text)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(text, out var single))
        {
            return new IPNetwork(single, single.GetAddressBytes().Length * 8);
        }
        throw new InvalidOperationException(
            $"{NetworkOptions.Section}:{nameof(NetworkOptions.AllowedPrivateNetworks)} contains '{text}', which is neither an address nor a range such as 10.0.5.0/24.");
    }
}

/// <summary>A connection was refused because every address of the target is internal (see <see cref="OutboundAddressPolicy"/>).</summary>
public sealed class OutboundAddressRefusedException(string host)
    : Exception($"The target address is not allowed: {host} is a loopback, private or other internal address.")
{
    public string Host { get; } = host;
}
