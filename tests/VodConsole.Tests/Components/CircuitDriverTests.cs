using System.Net;
using VodConsole.CircuitDriver;
using VodConsole.Tests.Api;

namespace VodConsole.Tests.Components;

/// <summary>
/// The bench's headless circuit driver (bench/VodConsole.CircuitDriver, issue #15) against the real console: it opens a
/// signed-in circuit, follows a navigation and dispatches a click. No timings here: this keeps the driver from rotting
/// when Blazor's protocol or the console's pages change.
/// </summary>
public sealed class CircuitDriverTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Driver_opens_a_circuit_navigates_to_another_role_and_turns_a_media_page()
    {
        var server = fixture.Server;
        var app = await server.PrimaryAsync();
        for (var i = 0; i < 21; i++) // one more than a page
        {
            await server.AddMediaAsync(app.Id, $"Driver clip {i:00}");
        }
        var baseUri = new Uri(server.BaseUrl + "/");
        var cookies = new CookieContainer();
        using var http = ConsoleSignIn.Client(baseUri, cookies);
        await ConsoleSignIn.SignInAsync(http, ApiServer.OwnerEmail, ApiServer.OwnerPassword);

        await using var circuit = await BlazorCircuit.OpenAsync(http, cookies, baseUri, "/admin/overview", Timeout);
        Assert.True(circuit.RenderBatches > 0);

        // A role switch is a navigation to the other role's route: the menu's links follow.
        var media = $"/apps/{app.Id}/media";
        await circuit.NavigateAsync(media, batch => batch.Contains(media) && batch.Contains("Driver clip 20"), Timeout);

        var next = circuit.FindClickHandler(e => e.Attributes.GetValueOrDefault("data-testid") == "media-next");
        Assert.NotEqual(0UL, next);
        await circuit.ClickAsync(next, batch => batch.Contains("Driver clip 00"), Timeout);
        Assert.Null(circuit.Error);
    }
}
