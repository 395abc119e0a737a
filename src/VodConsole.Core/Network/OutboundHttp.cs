using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VodConsole.Core.Network;

/// <summary>
/// The HTTP client for requests a user can aim (pull from URL, and later push callbacks). It resolves DNS itself and
/// connects only to addresses <see cref="OutboundAddressPolicy"/> allows; because that happens for every connection,
/// it also holds for each redirect hop and for a host whose DNS answer changes between requests.
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "VodConsole.Outbound";
    public const int MaxRedirects = 5;
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    /// <summary>Until the response headers have arrived; reading a body is timed by its reader.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Registers the policy and the named client; take it with <c>IHttpClientFactory.CreateClient(ClientName)</c>.</summary>
    public static IHttpClientBuilder AddOutboundHttpClient(this IServiceCollection services)
    {
        services.TryAddSingleton<OutboundAddressPolicy>();
        return services
            .AddHttpClient(ClientName, client =>
            {
                client.Timeout = ResponseTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("VodConsole/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(provider.GetRequiredService<OutboundAddressPolicy>()))
            // Users' URLs can carry signed tokens: callers log what happened without them, not every request line.
            .RemoveAllLoggers();
    }

    public static SocketsHttpHandler CreateHandler(OutboundAddressPolicy policy) => new()
    {
        // A proxy would be the address actually connected to, so the target would escape the check.
        UseProxy = false,
        UseCookies = false,
        // Redirects to anything but http(s) are not followed, and https never falls back to http.
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = MaxRedirects,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = ConnectTimeout,
        ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
    };

    /// <summary>Connects to the first reachable allowed address of the host; internal addresses are never tried.</summary>
    private static async ValueTask<Stream> ConnectAsync(OutboundAddressPolicy policy, DnsEndPoint target, CancellationToken ct)
    {
        var addresses = OutboundAddressPolicy.AddressesWithoutDns(target.Host)
            ?? await Dns.GetHostAddressesAsync(target.Host, ct);
        var allowed = addresses.Where(policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundAddressRefusedException(target.Host, addresses.Select(policy.Refusal).First(r => r is not null)!);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, target.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
