using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Client;
using VodConsole.Core.Access;
using VodConsole.Core.Api;
using VodConsole.Core.Data;

namespace VodConsole.Tests.Api;

/// <summary>Requests that are not signed right are refused, each with its own code, before any operation runs.</summary>
public sealed class ApiAuthenticationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    /// <summary>A request signed by hand, so a test can spoil exactly one part.</summary>
    private HttpRequestMessage Signed(
        TestApiKey key, HttpMethod method, string pathAndQuery, string? body = null, long? timestamp = null, string? nonce = null,
        string? secret = null, string? sentBody = null)
    {
        var uri = new Uri(new Uri(server.BaseUrl), pathAndQuery);
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var n = nonce ?? Guid.NewGuid().ToString("N");
        var hash = VodApiSignature.Sha256Hex(Encoding.UTF8.GetBytes(body ?? ""));
        var signature = VodApiSignature.Sign(
            new VodApiRequest(method.Method, uri.Authority, uri.AbsolutePath, uri.Query, key.KeyId, ts, n, hash), secret ?? key.Secret);
        var request = new HttpRequestMessage(method, uri);
        if ((sentBody ?? body) is { } content)
        {
            request.Content = new StringContent(content, Encoding.UTF8, "application/json");
        }
        request.Headers.Add(VodApiSignature.KeyIdHeader, key.KeyId);
        request.Headers.Add(VodApiSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(VodApiSignature.NonceHeader, n);
        request.Headers.Add(VodApiSignature.ContentSha256Header, hash);
        request.Headers.Add(VodApiSignature.SignatureHeader, signature);
        return request;
    }

    private async Task<(HttpStatusCode Status, string Code)> SendAsync(HttpRequestMessage request)
    {
        using var http = server.PlainClient();
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.ErrorCodeAsync());
    }

    private async Task<(TestApiKey Key, long ApplicationId)> KeyAsync(ApplicationAccess access = ApplicationAccess.Full)
    {
        var app = await server.CreateApplicationAsync("Auth");
        return (await server.CreateKeyAsync(app.Id, access), app.Id);
    }

    [Fact]
    public async Task A_rightly_signed_request_is_answered_and_the_key_shows_as_used()
    {
        var (key, appId) = await KeyAsync();
        await server.AddMediaAsync(appId, "Signed clip");

        using var http = server.PlainClient();
        using var response = await http.SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Signed clip", (await response.JsonAsync()).GetProperty("Media")[0].GetProperty("Title").GetString());
        await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Id == key.Id)).LastUsedAt);
    }

    [Theory]
    [InlineData(-6 * 60)]
    [InlineData(6 * 60)]
    public async Task A_timestamp_more_than_five_minutes_away_is_refused(int offsetSeconds)
    {
        var (key, appId) = await KeyAsync();

        var result = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}",
            timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.SignatureExpire), result);
    }

    [Fact]
    public async Task A_timestamp_four_minutes_old_is_still_accepted()
    {
        var (key, appId) = await KeyAsync();

        var result = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}",
            timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 4 * 60));

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task A_replayed_request_is_refused_because_its_nonce_was_used()
    {
        var (key, appId) = await KeyAsync();
        var nonce = Guid.NewGuid().ToString("N");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var first = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}", timestamp: timestamp, nonce: nonce));
        var replay = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}", timestamp: timestamp, nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.NonceReused), replay);
        await using var db = await server.Get<IDbContextFactory<VodDbContext>>().CreateDbContextAsync();
        var stored = await db.ApiNonces.SingleAsync(n => n.KeyId == key.KeyId && n.Nonce == nonce);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(timestamp).AddMinutes(5).UtcDateTime, stored.ExpiresAt);
    }

    [Fact]
    public async Task Expired_nonces_are_pruned_and_live_ones_kept()
    {
        var store = server.Get<ApiNonceStore>();
        var now = DateTime.UtcNow;
        Assert.True(await store.TryUseAsync("AKIDprune", "old-nonce-1", now.AddMinutes(-1)));
        Assert.True(await store.TryUseAsync("AKIDprune", "live-nonce-1", now.AddMinutes(4)));

        await store.PruneAsync(now);

        Assert.True(await store.TryUseAsync("AKIDprune", "old-nonce-1", now.AddMinutes(5)));
        Assert.False(await store.TryUseAsync("AKIDprune", "live-nonce-1", now.AddMinutes(5)));
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused_and_changes_nothing()
    {
        var (key, appId) = await KeyAsync();
        var media = await server.AddMediaAsync(appId, "Original");

        var result = await SendAsync(Signed(key, HttpMethod.Patch, $"/api/v1/media/{media.Id}?SubAppId={appId}",
            body: """{"Title":"Signed title"}""", sentBody: """{"Title":"Tampered"}"""));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.ContentHashMismatch), result);
        await using var db = await server.Get<ApplicationData>().OpenForAsync(appId);
        Assert.Equal("Original", (await db.Media.SingleAsync(m => m.Id == media.Id)).Title);
    }

    [Fact]
    public async Task A_changed_query_breaks_the_signature()
    {
        var (key, appId) = await KeyAsync();
        var request = Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}&Limit=5");
        request.RequestUri = new Uri(request.RequestUri!.AbsoluteUri.Replace("Limit=5", "Limit=6"));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.SignatureFailure), await SendAsync(request));
    }

    [Fact]
    public async Task A_wrong_secret_is_refused()
    {
        var (key, appId) = await KeyAsync();

        // The last character changed, whatever it was: a secret that happened to end in "x" must not stay right.
        var wrong = key.Secret[..^1] + (key.Secret[^1] == 'x' ? 'y' : 'x');

        var result = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}", secret: wrong));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.SignatureFailure), result);
    }

    [Fact]
    public async Task Another_keys_secret_is_refused()
    {
        var (key, appId) = await KeyAsync();
        var (other, _) = await KeyAsync();

        var result = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}", secret: other.Secret));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.SignatureFailure), result);
    }

    [Fact]
    public async Task An_unknown_key_id_is_refused()
    {
        var (key, appId) = await KeyAsync();

        var result = await SendAsync(Signed(key with { KeyId = ApiKeySecrets.NewKeyId() }, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}"));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.KeyNotFound), result);
    }

    [Fact]
    public async Task A_disabled_key_is_refused_and_works_again_once_enabled()
    {
        var (key, appId) = await KeyAsync();
        await server.AsOwnerAsync(appId, s => s.GetRequiredService<ApiKeyService>().SetEnabledAsync(key.Id, false));

        var disabled = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}"));
        await server.AsOwnerAsync(appId, s => s.GetRequiredService<ApiKeyService>().SetEnabledAsync(key.Id, true));
        var enabled = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}"));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.KeyDisabled), disabled);
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
    }

    [Fact]
    public async Task A_deleted_key_is_refused()
    {
        var (key, appId) = await KeyAsync();
        await server.AsOwnerAsync(appId, s => s.GetRequiredService<ApiKeyService>().DeleteAsync(key.Id));

        var result = await SendAsync(Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}"));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.KeyNotFound), result);
    }

    [Theory]
    [InlineData(VodApiSignature.KeyIdHeader)]
    [InlineData(VodApiSignature.TimestampHeader)]
    [InlineData(VodApiSignature.NonceHeader)]
    [InlineData(VodApiSignature.ContentSha256Header)]
    [InlineData(VodApiSignature.SignatureHeader)]
    public async Task A_request_without_one_of_the_headers_is_refused(string header)
    {
        var (key, appId) = await KeyAsync();
        var request = Signed(key, HttpMethod.Get, $"/api/v1/media?SubAppId={appId}");
        request.Headers.Remove(header);

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.InvalidAuthorization), await SendAsync(request));
    }

    [Fact]
    public async Task An_unsigned_request_is_refused_even_from_a_signed_in_browser_and_an_unknown_path_is_an_invalid_action()
    {
        using var http = server.PlainClient();

        using var unsigned = await http.GetAsync("/api/v1/media");
        using var unknown = await http.GetAsync("/api/v1/nothing-here");

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrors.InvalidAuthorization), (unsigned.StatusCode, await unsigned.ErrorCodeAsync()));
        Assert.Equal((HttpStatusCode.NotFound, ApiErrors.InvalidAction), (unknown.StatusCode, await unknown.ErrorCodeAsync()));
        Assert.Equal("application/json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
