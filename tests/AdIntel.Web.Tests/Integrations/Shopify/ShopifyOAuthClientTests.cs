using System.Net;
using System.Security.Cryptography;
using System.Text;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Integrations.Shopify;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>The OAuth client against the fake Shopify over real HTTP: consent, signed callback, code exchange, refresh rotation.</summary>
public sealed class ShopifyOAuthClientTests
{
    private const string Shop = "outfitters.myshopify.com";

    private static ShopifyOAuthClient Client(FakeServer server, string? secret = null) => new(
        new HttpClient(),
        Options.Create(new ShopifyOptions
        {
            ClientId = server.Shopify.ClientId, ClientSecret = secret ?? server.Shopify.ClientSecret, ShopUrlTemplate = server.ShopifyShopUrlTemplate,
        }),
        TimeProvider.System);

    /// <summary>What the merchant's browser does: opens the consent URL and follows Shopify's redirect back to us.</summary>
    private static async Task<List<KeyValuePair<string, string>>> ConsentAsync(Uri authorizeUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var callback = response.Headers.Location!;
        Assert.StartsWith("https://app.example/auth/callback?", callback.ToString(), StringComparison.Ordinal);
        return [.. QueryHelpers.ParseQuery(callback.Query).Select(p => KeyValuePair.Create(p.Key, p.Value.ToString()))];
    }

    [Fact]
    public async Task Install_flow_gets_an_expiring_token_and_refresh_rotates_it()
    {
        await using var server = await FakeServer.StartAsync();
        var client = Client(server);

        var callback = await ConsentAsync(client.AuthorizeUrl(Shop, "https://app.example/auth/callback", "nonce-123"));
        Assert.True(client.IsGenuineCallback(callback, "nonce-123"));
        Assert.False(client.IsGenuineCallback(callback, "another-nonce"));

        var code = callback.Single(p => p.Key == "code").Value;
        var first = await client.ExchangeCodeAsync(Shop, code, CancellationToken.None);
        Assert.NotNull(first.RefreshToken);
        Assert.InRange(first.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.True(FakeShopify.IsValidAccessToken(server.Shopify, Shop, first.AccessToken, DateTimeOffset.UtcNow));

        // A code works once.
        var reused = await Assert.ThrowsAsync<ShopifyOAuthException>(() => client.ExchangeCodeAsync(Shop, code, CancellationToken.None));
        Assert.Equal("invalid_request", reused.Error);

        // Refreshing gives a new pair, revokes the old access token and spends the old refresh token.
        var second = await client.RefreshAsync(Shop, first.RefreshToken!, CancellationToken.None);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.False(FakeShopify.IsValidAccessToken(server.Shopify, Shop, first.AccessToken, DateTimeOffset.UtcNow));
        Assert.True(FakeShopify.IsValidAccessToken(server.Shopify, Shop, second.AccessToken, DateTimeOffset.UtcNow));
        var spent = await Assert.ThrowsAsync<ShopifyOAuthException>(() => client.RefreshAsync(Shop, first.RefreshToken!, CancellationToken.None));
        Assert.Equal("invalid_grant", spent.Error);
    }

    [Fact]
    public async Task A_callback_signed_with_another_secret_is_not_genuine_and_a_wrong_secret_gets_no_token()
    {
        await using var server = await FakeServer.StartAsync();
        var impostor = Client(server, secret: "not-the-secret");

        var callback = await ConsentAsync(impostor.AuthorizeUrl(Shop, "https://app.example/auth/callback", "n"));

        Assert.False(impostor.IsGenuineCallback(callback, "n"));
        var refused = await Assert.ThrowsAsync<ShopifyOAuthException>(() =>
            impostor.ExchangeCodeAsync(Shop, callback.Single(p => p.Key == "code").Value, CancellationToken.None));
        Assert.Equal(401, refused.Status);
    }

    [Theory]
    [InlineData("evil.com")]
    [InlineData("outfitters.myshopify.com.evil.com")]
    [InlineData("outfitters.myshopify.com/../../evil")]
    public async Task A_forged_shop_never_becomes_a_url(string shop)
    {
        await using var server = await FakeServer.StartAsync();
        var client = Client(server);

        Assert.Throws<ArgumentException>(() => client.AuthorizeUrl(shop, "https://app.example/auth/callback", "n"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ExchangeCodeAsync(shop, "code", CancellationToken.None));
    }

    [Fact]
    public async Task Embedded_app_trades_a_session_token_for_an_offline_token_and_stale_ones_are_refused()
    {
        await using var server = await FakeServer.StartAsync();
        var client = Client(server);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var token = await client.ExchangeSessionTokenAsync(SessionToken(server, Shop, now), CancellationToken.None);
        Assert.True(FakeShopify.IsValidAccessToken(server.Shopify, Shop, token.AccessToken, DateTimeOffset.UtcNow));
        Assert.NotNull(token.RefreshToken);

        // Expired tokens are caught by our own validation before Shopify is asked.
        var expired = await Assert.ThrowsAsync<ShopifyOAuthException>(() =>
            client.ExchangeSessionTokenAsync(SessionToken(server, Shop, now - 120), CancellationToken.None));
        Assert.Equal("invalid_session_token", expired.Error);
    }

    /// <summary>An App Bridge ID token as Shopify mints it, signed with the app's secret.</summary>
    private static string SessionToken(FakeServer server, string shop, long issuedAt)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"https://{{shop}}/admin","dest":"https://{{shop}}","aud":"{{server.Shopify.ClientId}}","sub":"42","exp":{{issuedAt + 60}},"nbf":{{issuedAt}},"iat":{{issuedAt}},"jti":"{{Guid.NewGuid()}}","sid":"s1"}"""));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(server.Shopify.ClientSecret), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }
}
