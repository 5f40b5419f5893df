using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>An offline access token; expiring ones come with a refresh token.</summary>
public sealed record ShopifyTokenSet(string AccessToken, string Scope, DateTimeOffset? ExpiresAt, string? RefreshToken, DateTimeOffset? RefreshTokenExpiresAt);

/// <summary>Shopify refused a token request: <c>error</c> is its code (invalid_grant means the merchant must install again).</summary>
public sealed class ShopifyOAuthException(int status, string error, string? description)
    : Exception($"Shopify refused the token request ({status} {error}): {description}")
{
    public int Status => status;
    public string Error => error;
}

/// <summary>
/// Shopify's authorization-code grant with expiring offline tokens (docs/integrations.md#oauth-and-install): the consent URL, the signed
/// callback's check, the code exchange and refresh-token rotation. Every shop domain is validated before it is put in
/// a URL, so a forged <c>shop</c> cannot send the client secret elsewhere.
/// </summary>
public sealed class ShopifyOAuthClient(HttpClient http, IOptions<ShopifyOptions> options, TimeProvider time)
{
    private readonly ShopifyOptions _options = options.Value;

    public Uri AuthorizeUrl(string shop, string redirectUri, string state) =>
        new(QueryHelpers.AddQueryString(ShopUrl(shop) + "/admin/oauth/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = Required(_options.ClientId, "ClientId"),
            ["scope"] = _options.Scopes,
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["grant_options[]"] = "",
        }));

    /// <summary>The callback is Shopify's when its HMAC is valid and recent, its shop valid and its state ours.</summary>
    public bool IsGenuineCallback(IReadOnlyCollection<KeyValuePair<string, string>> query, string expectedState)
    {
        var state = query.FirstOrDefault(p => p.Key == "state").Value;
        return state is not null
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(state), System.Text.Encoding.UTF8.GetBytes(expectedState))
            && ShopDomain.TryNormalize(query.FirstOrDefault(p => p.Key == "shop").Value, out _)
            && ShopifySignatures.IsValidQuery(query, Required(_options.ClientSecret, "ClientSecret"), time.GetUtcNow());
    }

    public Task<ShopifyTokenSet> ExchangeCodeAsync(string shop, string code, CancellationToken cancellationToken) =>
        RequestTokenAsync(shop, new Dictionary<string, object> { ["code"] = code, ["expiring"] = 1 }, cancellationToken);

    /// <summary>Embedded apps: trades the App Bridge session token (validated first) for an expiring offline token.</summary>
    public Task<ShopifyTokenSet> ExchangeSessionTokenAsync(string sessionToken, CancellationToken cancellationToken)
    {
        var session = ShopifySessionToken.Validate(sessionToken, Required(_options.ClientId, "ClientId"), Required(_options.ClientSecret, "ClientSecret"),
            time.GetUtcNow(), out var problem) ?? throw new ShopifyOAuthException(401, "invalid_session_token", problem);
        // The shop is the token's own dest, never a caller-supplied one.
        return RequestTokenAsync(session.Shop, new Dictionary<string, object>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = sessionToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:id_token",
            ["requested_token_type"] = "urn:shopify:params:oauth:token-type:offline-access-token",
            ["expiring"] = "1",
        }, cancellationToken);
    }

    /// <summary>Refresh tokens rotate: keep the new pair, the old refresh token is spent.</summary>
    public Task<ShopifyTokenSet> RefreshAsync(string shop, string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(shop, new Dictionary<string, object> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    private async Task<ShopifyTokenSet> RequestTokenAsync(string shop, Dictionary<string, object> grant, CancellationToken cancellationToken)
    {
        grant["client_id"] = Required(_options.ClientId, "ClientId");
        grant["client_secret"] = Required(_options.ClientSecret, "ClientSecret");
        var now = time.GetUtcNow();
        using var response = await http.PostAsJsonAsync(ShopUrl(shop) + "/admin/oauth/access_token", grant, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        TokenResponse? token = null;
        try
        {
            token = JsonSerializer.Deserialize<TokenResponse>(body);
        }
        catch (JsonException)
        {
            // Judged below: a body that is not Shopify's JSON is an error whatever the status says.
        }
        if (!response.IsSuccessStatusCode || token?.AccessToken is null)
        {
            throw new ShopifyOAuthException((int)response.StatusCode, token?.Error ?? "unexpected_response",
                token?.ErrorDescription ?? (body.Length > 200 ? body[..200] : body));
        }
        return new ShopifyTokenSet(token.AccessToken, token.Scope ?? "",
            token.ExpiresIn is { } expires ? now.AddSeconds(expires) : null, token.RefreshToken,
            token.RefreshTokenExpiresIn is { } refreshExpires ? now.AddSeconds(refreshExpires) : null);
    }

    private string ShopUrl(string shop) =>
        ShopDomain.TryNormalize(shop, out var valid)
            ? _options.ShopUrlTemplate.Replace("{shop}", valid, StringComparison.Ordinal).TrimEnd('/')
            : throw new ArgumentException($"“{shop}” is not a shop's myshopify.com domain.", nameof(shop));

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"Shopify:{name} is not configured.") : value;

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("expires_in")] long? ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("refresh_token_expires_in")] long? RefreshTokenExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
