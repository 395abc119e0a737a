using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VodConsole.Tests;

/// <summary>
/// A real HTTP server (Kestrel) on loopback ports of its own, with the routes a test maps: what pulls and outbound
/// requests talk to, since tests have no other network.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly IReadOnlyList<Uri> listeners;

    private LocalHttpServer(WebApplication app, IReadOnlyList<Uri> listeners)
    {
        this.app = app;
        this.listeners = listeners;
    }

    /// <param name="listenOn">Loopback addresses to listen on, each on a free port; 127.0.0.1 when none is given.</param>
    public static async Task<LocalHttpServer> StartAsync(Action<WebApplication> map, params IPAddress[] listenOn)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in listenOn.DefaultIfEmpty(IPAddress.Loopback))
            {
                kestrel.Listen(address, 0);
            }
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new LocalHttpServer(app, addresses.Select(a => new Uri(a)).ToList());
    }

    /// <summary>The path on the first address listened on.</summary>
    public string Url(string path) => new Uri(listeners[0], path).AbsoluteUri;

    /// <summary>The path on the listener of this address.</summary>
    public string Url(IPAddress address, string path) =>
        new Uri(listeners.Single(l => IPAddress.Parse(l.Host.Trim('[', ']')).Equals(address)), path).AbsoluteUri;

    /// <summary>The path through a host name or literal of one's choosing, on the port of the listener of its family.</summary>
    public string UrlOn(string host, string path)
    {
        var ipv6 = host.StartsWith('[');
        var listener = listeners.First(l => l.Host.StartsWith('[') == ipv6);
        return new UriBuilder(listener) { Host = host.Trim('[', ']'), Path = path }.Uri.AbsoluteUri;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
