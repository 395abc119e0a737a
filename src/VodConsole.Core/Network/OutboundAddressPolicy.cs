using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace VodConsole.Core.Network;

/// <summary><c>Network:*</c> — where requests that users can aim (pulls, callbacks) may go.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";
    public const string AllowPrivateTargetsKey = Section + ":" + nameof(AllowPrivateTargets);
    public const string AllowedPrivateNetworksKey = Section + ":" + nameof(AllowedPrivateNetworks);

    /// <summary>
    /// Lets outbound requests reach loopback and private networks: for tests and closed installations only. Cloud
    /// metadata and link-local addresses stay refused all the same (see <see cref="OutboundAddressPolicy"/>).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// Internal addresses or ranges that are allowed all the same ("10.0.5.20", "10.0.5.0/24"), such as the media
    /// server of a closed network, without opening every internal address. The only way to open a metadata or
    /// link-local address.
    /// </summary>
    public string[] AllowedPrivateNetworks { get; set; } = [];
}

/// <summary>
/// Decides whether the console may open a connection to an address on a user's behalf. Loopback, private, link-local,
/// cloud-metadata, the host's own and similar internal addresses are refused, so a URL typed into the console cannot
/// make the server reach what only the server can reach (SSRF). IPv6 forms that carry an IPv4 address (mapped,
/// compatible, NAT64, 6to4, Teredo) are judged by that address too, as that is where the packets end up.
/// </summary>
public sealed class OutboundAddressPolicy
{
    private static readonly IPNetwork[] InternalRanges =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network"; 0.0.0.0 reaches the local host
        IPNetwork.Parse("10.0.0.0/8"),      // private
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),     // loopback
        IPNetwork.Parse("172.16.0.0/12"),   // private
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),  // private
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking networks
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, and 255.255.255.255 broadcast
        IPNetwork.Parse("::/128"),          // unspecified; like 0.0.0.0 it reaches the local host
        IPNetwork.Parse("::1/128"),         // loopback
        IPNetwork.Parse("64:ff9b:1::/48"),  // local-use NAT64: translated inside the site's own network
        IPNetwork.Parse("fc00::/7"),        // unique local
        IPNetwork.Parse("ff00::/8"),        // multicast
    ];

    /// <summary>
    /// Refused even with <see cref="NetworkOptions.AllowPrivateTargets"/>: the instance metadata services hand out cloud
    /// credentials, and nothing a closed installation serves media or receives callbacks from lives on link-local.
    /// </summary>
    private static readonly IPNetwork[] MetadataRanges =
    [
        IPNetwork.Parse("169.254.0.0/16"),     // link-local; AWS, GCP, Azure, Oracle at 169.254.169.254, Tencent Cloud at 169.254.0.23
        IPNetwork.Parse("fe80::/10"),          // link-local
        IPNetwork.Parse("fd00:ec2::254/128"),  // AWS metadata over IPv6
        IPNetwork.Parse("100.100.100.200/32"), // Alibaba Cloud metadata
    ];

    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    private readonly bool allowPrivateTargets;
    private readonly IPNetwork[] allowedPrivateNetworks;
    private readonly IPNetwork[] metadataOpened;
    private readonly Func<IReadOnlyCollection<IPAddress>> hostAddresses;

    public OutboundAddressPolicy(IOptions<NetworkOptions> options) : this(options, HostAddresses.Current)
    {
    }

    /// <param name="hostAddresses">The addresses of this host's own interfaces, asked for on every check (tests give their own).</param>
    public OutboundAddressPolicy(IOptions<NetworkOptions> options, Func<IReadOnlyCollection<IPAddress>> hostAddresses)
    {
        allowPrivateTargets = options.Value.AllowPrivateTargets;
        allowedPrivateNetworks = options.Value.AllowedPrivateNetworks.Select(ParseNetwork).ToArray();
        // Only an entry inside a metadata range opens metadata: "fd00::/8" for a closed network does not open fd00:ec2::254.
        metadataOpened = allowedPrivateNetworks
            .Where(network => MetadataRanges.Any(range => range.Contains(network.BaseAddress) && network.PrefixLength >= range.PrefixLength))
            .ToArray();
        this.hostAddresses = hostAddresses;
    }

    public bool IsAllowed(IPAddress address) => Refusal(address) is null;

    /// <summary>Why the address may not be reached, or null when it may.</summary>
    public AddressRefusal? Refusal(IPAddress address)
    {
        var plain = Plain(address);
        foreach (var carried in Carried(address))
        {
            if (MetadataRanges.Any(range => range.Contains(carried)))
            {
                if (!metadataOpened.Any(network => network.Contains(carried)))
                {
                    return new AddressRefusal("a cloud metadata or link-local address", Metadata: true);
                }
                continue;
            }
            if (allowPrivateTargets || allowedPrivateNetworks.Any(network => network.Contains(carried) || network.Contains(plain)))
            {
                continue;
            }
            if (IPAddress.IsLoopback(carried))
            {
                return new AddressRefusal("a loopback address");
            }
            if (InternalRanges.Any(range => range.Contains(carried)))
            {
                return new AddressRefusal("a private or other internal address");
            }
            if (hostAddresses().Any(own => own.Equals(carried)))
            {
                return new AddressRefusal("an address of this server itself");
            }
        }
        return null;
    }

    /// <summary>
    /// For a URL submitted to the console: the refusal the policy will always give, when the host is an IP address or a
    /// <c>localhost</c> name, with the setting that would allow it; null for a host name (decided when connecting).
    /// As when connecting, a host is refused only when every one of its addresses is.
    /// </summary>
    public string? RefusalForHost(Uri url)
    {
        if (AddressesWithoutDns(url.Host) is not { } addresses)
        {
            return null;
        }
        var refusals = addresses.Select(Refusal).ToList();
        return refusals.All(r => r is not null) ? refusals[0]!.Explain(url.Host) : null;
    }

    /// <summary>The addresses of a host that are known without asking DNS: an IP literal, or a <c>localhost</c> name.</summary>
    /// <remarks>
    /// Names under <c>localhost</c> always mean this host (RFC 6761), whatever the case or a trailing dot
    /// (<c>LOCALHOST.</c>); resolving them could fail and hide what they are behind "could not be resolved".
    /// </remarks>
    public static IPAddress[]? AddressesWithoutDns(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : null;
    }

    /// <summary>
    /// The address and every IPv4 address it carries: IPv4-mapped (<c>::ffff:0:0/96</c>), IPv4-compatible (<c>::/96</c>),
    /// NAT64 (<c>64:ff9b::/96</c>) in the last 32 bits, 6to4 (<c>2002::/16</c>) in bits 16–47, and Teredo
    /// (<c>2001::/32</c>) its server in bits 32–63 and its client, inverted, in the last 32 bits.
    /// </summary>
    private static IEnumerable<IPAddress> Carried(IPAddress address)
    {
        var plain = Plain(address);
        yield return plain;
        if (plain.IsIPv4MappedToIPv6)
        {
            yield return plain.MapToIPv4();
            yield break;
        }
        var bytes = plain.GetAddressBytes();
        if (bytes.Length != 16)
        {
            yield break;
        }
        if (Ipv4Compatible.Contains(plain) || Nat64.Contains(plain))
        {
            yield return new IPAddress(bytes[12..16]);
        }
        else if (SixToFour.Contains(plain))
        {
            yield return new IPAddress(bytes[2..6]);
        }
        else if (Teredo.Contains(plain))
        {
            yield return new IPAddress(bytes[4..8]);
            yield return new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray());
        }
    }

    /// <summary>The address without an IPv6 scope (<c>fe80::1%2</c>), so it compares equal to the same address listed.</summary>
    internal static IPAddress Plain(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

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
            $"{NetworkOptions.AllowedPrivateNetworksKey} contains '{text}', which is neither an address nor a range such as 10.0.5.0/24.");
    }
}

/// <summary>Why <see cref="OutboundAddressPolicy"/> refuses an address.</summary>
/// <param name="What">What the address is: "a loopback address".</param>
/// <param name="Metadata">A metadata or link-local address, which only <c>AllowedPrivateNetworks</c> opens.</param>
public sealed record AddressRefusal(string What, bool Metadata = false)
{
    /// <summary>The operator's sentence for a refused host: what it is, and the setting that would allow it.</summary>
    public string Explain(string host) =>
        $"{host} is {What}, which the console does not connect to. To allow it, list it in {NetworkOptions.AllowedPrivateNetworksKey} "
        + "(one address or range, such as \"10.0.5.20\" or \"10.0.5.0/24\")"
        + (Metadata
            ? $"; {NetworkOptions.AllowPrivateTargetsKey} does not open metadata and link-local addresses."
            : $"; {NetworkOptions.AllowPrivateTargetsKey}=true opens every internal address and is meant for tests only.");
}

/// <summary>The addresses of this host's own network interfaces, read again at most every few seconds.</summary>
public static class HostAddresses
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);
    private sealed record Snapshot(IReadOnlyCollection<IPAddress> Addresses, long ReadAt);
    private static volatile Snapshot? cached;

    /// <summary>An address the server holds is as internal as loopback: a public one reaches its own services.</summary>
    public static IReadOnlyCollection<IPAddress> Current()
    {
        var now = Environment.TickCount64;
        if (cached is { } known && now - known.ReadAt < Freshness.TotalMilliseconds)
        {
            return known.Addresses;
        }
        IReadOnlyCollection<IPAddress> addresses;
        try
        {
            addresses = NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => OutboundAddressPolicy.Plain(u.Address))
                .ToHashSet();
        }
        catch (NetworkInformationException)
        {
            // Interfaces cannot be listed here (a restricted container): the ranges above still hold.
            addresses = [];
        }
        cached = new Snapshot(addresses, now);
        return addresses;
    }
}

/// <summary>A connection was refused because every address of the target is refused by <see cref="OutboundAddressPolicy"/>.</summary>
public sealed class OutboundAddressRefusedException(string host, AddressRefusal refusal)
    : Exception("The target address is not allowed: " + refusal.Explain(host))
{
    public string Host { get; } = host;
}
