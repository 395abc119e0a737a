using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace VodConsole.E2E;

/// <summary>
/// The reverse proxy in front of several console instances, as docs/deploy.md's YARP example configures it: session
/// affinity by cookie (a browser's requests and its circuit's WebSocket go to one instance), active health checks on
/// <c>/health/ready</c> every second, passive ones on every proxied request, and, when the instance a browser is pinned to is down, the next request goes to
/// another one (affinity failure policy <c>Redistribute</c>). In the test process, on a loopback port.
/// </summary>
public sealed class TestProxy : IAsyncDisposable
{
    /// <summary>The response header naming the destination that answered, so a test knows which instance a tab is on.</summary>
    public const string ServedByHeader = "X-Served-By";

    private readonly WebApplication app;

    private TestProxy(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <param name="destinations">The instances by name (the name is what <see cref="ServedByHeader"/> says).</param>
    public static async Task<TestProxy> StartAsync(IReadOnlyDictionary<string, string> destinations)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // One failed request takes an instance out at once (passive check), not only the next probe: a tab whose
        // instance died retries its circuit at once, and should reach another instance while it does.
        builder.Services.Configure<TransportFailureRateHealthPolicyOptions>(o => o.MinimalTotalCountThreshold = 1);
        builder.Services.AddReverseProxy()
            .LoadFromMemory([Route], [Cluster(destinations)])
            .AddTransforms(transforms => transforms.AddResponseTransform(context =>
            {
                context.HttpContext.Response.Headers[ServedByHeader] = context.HttpContext.GetReverseProxyFeature().ProxiedDestination?.DestinationId;
                return ValueTask.CompletedTask;
            }));
        var app = builder.Build();
        app.MapReverseProxy(); // WebSockets (the circuits) are proxied as they come, no setting needed
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestProxy(app, address.TrimEnd('/'));
    }

    public string Url(string path) => BaseUrl + path;

    private static RouteConfig Route => new RouteConfig
    {
        RouteId = "console",
        ClusterId = "console",
        Match = new RouteMatch { Path = "{**catch-all}" },
    }.WithTransformUseOriginalHostHeader(); // the console builds its redirects from the Host it is asked for: the proxy's

    private static ClusterConfig Cluster(IReadOnlyDictionary<string, string> destinations) => new()
    {
        ClusterId = "console",
        Destinations = destinations.ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Value }),
        SessionAffinity = new SessionAffinityConfig
        {
            Enabled = true,
            Policy = "Cookie",
            FailurePolicy = "Redistribute",
            AffinityKeyName = ".VodConsole.Affinity",
        },
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(1),
                Policy = "ConsecutiveFailures",
                Path = "/health/ready",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = "TransportFailureRate",
                ReactivationPeriod = TimeSpan.FromSeconds(10),
            },
        },
        // One failed probe takes an instance out: a dead process does not come back by itself.
        Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
