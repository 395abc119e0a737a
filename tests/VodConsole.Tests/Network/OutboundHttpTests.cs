using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VodConsole.Core.Network;

namespace VodConsole.Tests.Network;

/// <summary>The outbound client against a real server on loopback: the policy decides at connect time.</summary>
public sealed class OutboundHttpTests : IAsyncLifetime
{
    private LocalHttpServer server = null!;

    public async ValueTask InitializeAsync() =>
        server = await LocalHttpServer.StartAsync(app => app.MapGet("/hello", () => "hello"), IPAddress.Loopback, IPAddress.IPv6Loopback);

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private static HttpClient Client(bool allowPrivateTargets) =>
        new(OutboundHttp.CreateHandler(new OutboundAddressPolicy(Options.Create(new NetworkOptions { AllowPrivateTargets = allowPrivateTargets }))));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]          // never asked of DNS, so refused by the policy rather than "could not be resolved"
    [InlineData("[::127.0.0.1]")]       // IPv4-compatible IPv6: refused for the IPv4 it carries, not "could not be reached"
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Loopback_is_refused_by_address_name_or_ipv6_literal(string host)
    {
        using var client = Client(allowPrivateTargets: false);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(server.UrlOn(host, "/hello")));

        var refused = Assert.IsType<OutboundAddressRefusedException>(failure.InnerException);
        Assert.Equal(refused.Message, OutboundFailures.Describe(failure));
        Assert.StartsWith("The target address is not allowed: ", refused.Message);
        Assert.Contains("is a loopback address", refused.Message);
        Assert.Contains("Network:AllowedPrivateNetworks", refused.Message);
        Assert.True(OutboundFailures.IsRefusedByPolicy(failure));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("LOCALHOST.")]
    public async Task Loopback_is_reached_when_private_targets_are_allowed(string host)
    {
        using var client = Client(allowPrivateTargets: true);

        Assert.Equal("hello", await client.GetStringAsync(server.UrlOn(host, "/hello")));
    }
}
