using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// A fake Shopify: the merchant's consent screen at <c>/admin/oauth/authorize</c> (consents at
/// once and redirects with a signed callback), and <c>/admin/oauth/access_token</c> with the authorization-code grant
/// (one use, one minute), token exchange of an embedded app's session token, expiring offline tokens, and
/// refresh-token rotation. Shops live under
/// <c>/shops/{shop}</c> on one host, so a client's base-URL template <c>http://127.0.0.1:port/shops/{shop}</c> stands
/// for Shopify's <c>https://{shop}</c>.
/// </summary>
public static partial class FakeShopify
{
    public static void Map(IEndpointRouteBuilder app, FakeShopifyState state, TimeProvider time)
    {
        var shop = app.MapGroup("/shops/{shop}");

        shop.MapGet("/admin/oauth/authorize", (HttpContext context, string shop) =>
        {
            var query = context.Request.Query;
            if (!ShopName().IsMatch(shop))
            {
                return Results.NotFound();
            }
            if (query["client_id"] != state.ClientId || string.IsNullOrEmpty(query["redirect_uri"]) || string.IsNullOrEmpty(query["state"]))
            {
                return Results.BadRequest("Oauth error invalid_request: The redirect_uri, client_id and state are required.");
            }
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            lock (state)
            {
                state.Codes[code] = (shop, time.GetUtcNow().AddMinutes(1));
            }
            var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["code"] = code,
                ["host"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin.shopify.com/store/" + shop.Split('.')[0])),
                ["shop"] = shop,
                ["state"] = query["state"]!,
                ["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            };
            // Signed as Shopify signs it: the sorted pairs joined with '&', HMAC-SHA256 with the client secret, hex.
            var message = string.Join('&', parameters.Select(p => p.Key + "=" + p.Value));
            var hmac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(state.ClientSecret), Encoding.UTF8.GetBytes(message)));
            var target = QueryHelpers.AddQueryString(query["redirect_uri"]!, parameters.Append(KeyValuePair.Create("hmac", hmac))
                .ToDictionary(p => p.Key, p => (string?)p.Value));
            return Results.Redirect(target);
        });

        shop.MapPost("/admin/oauth/access_token", async (HttpContext context, string shop) =>
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            string? Field(string name) => body.TryGetValue(name, out var value) ? value : null;
            if (Field("client_id") != state.ClientId || Field("client_secret") != state.ClientSecret)
            {
                return OAuthError(401, "invalid_client", "Client authentication failed.");
            }
            var now = time.GetUtcNow();
            lock (state)
            {
                switch (Field("grant_type"))
                {
                    case null or "authorization_code":
                        if (Field("code") is not { } code || !state.Codes.Remove(code, out var issued) || issued.Shop != shop || issued.Expires < now)
                        {
                            return OAuthError(400, "invalid_request", "The authorization code was not found or was already used");
                        }
                        return Results.Json(Issue(state, shop, expiring: Field("expiring") == "1", now));
                    case "refresh_token":
                        if (Field("refresh_token") is not { } refresh || !state.RefreshTokens.TryGetValue(refresh, out var stored)
                            || stored.Consumed || stored.Shop != shop || stored.Expires < now)
                        {
                            return OAuthError(400, "invalid_grant", "The refresh token is invalid, expired or was already used.");
                        }
                        stored.Consumed = true;
                        return Results.Json(Issue(state, shop, expiring: true, now));
                    case "urn:ietf:params:oauth:grant-type:token-exchange":
                        if (Field("subject_token_type") != "urn:ietf:params:oauth:token-type:id_token"
                            || Field("requested_token_type") != "urn:shopify:params:oauth:token-type:offline-access-token")
                        {
                            return OAuthError(400, "invalid_request", "This fake exchanges ID tokens for offline access tokens only.");
                        }
                        if (Field("subject_token") is not { } subject)
                        {
                            return OAuthError(400, "missing_subject_token", "The subject_token parameter is required.");
                        }
                        if (!IsValidSessionToken(subject, state, shop, now))
                        {
                            return OAuthError(400, "invalid_subject_token", "The session token is invalid, expired or for another shop or app.");
                        }
                        return Results.Json(Issue(state, shop, expiring: Field("expiring") == "1", now));
                    default:
                        return OAuthError(400, "unsupported_grant_type", $"Grant type {Field("grant_type")} is not supported by this fake.");
                }
            }
        });
    }

    /// <summary>Tells whether an access token is valid for the shop now (the Admin API checks it on every call).</summary>
    public static bool IsValidAccessToken(FakeShopifyState state, string shop, string? token, DateTimeOffset now)
    {
        lock (state)
        {
            return token is not null && state.AccessTokens.TryGetValue(token, out var issued) && issued.Shop == shop && (issued.Expires is null || issued.Expires > now);
        }
    }

    /// <summary>An App Bridge ID token as Shopify checks it: HS256 with the client secret, our audience, ±10 s, this shop.</summary>
    private static bool IsValidSessionToken(string token, FakeShopifyState state, string shop, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }
        try
        {
            var signature = Base64UrlTextEncoder.Decode(parts[2]);
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(state.ClientSecret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            using var header = JsonDocument.Parse(Base64UrlTextEncoder.Decode(parts[0]));
            using var payload = JsonDocument.Parse(Base64UrlTextEncoder.Decode(parts[1]));
            var claims = payload.RootElement;
            var seconds = now.ToUnixTimeSeconds();
            return CryptographicOperations.FixedTimeEquals(signature, expected)
                && header.RootElement.GetProperty("alg").GetString() == "HS256"
                && claims.GetProperty("aud").GetString() == state.ClientId
                && claims.GetProperty("dest").GetString() == "https://" + shop
                && claims.GetProperty("exp").GetInt64() + 10 >= seconds
                && claims.GetProperty("nbf").GetInt64() - 10 <= seconds;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Dictionary<string, object> Issue(FakeShopifyState state, string shop, bool expiring, DateTimeOffset now)
    {
        var access = "shpat_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var response = new Dictionary<string, object> { ["access_token"] = access, ["scope"] = state.Scopes };
        if (!expiring)
        {
            state.AccessTokens[access] = new FakeShopifyToken(shop, null);
            return response;
        }
        // Only one expiring offline token is active per shop: a new one revokes the others.
        foreach (var old in state.AccessTokens.Where(t => t.Value.Shop == shop && t.Value.Expires is not null).Select(t => t.Key).ToList())
        {
            state.AccessTokens.Remove(old);
        }
        state.AccessTokens[access] = new FakeShopifyToken(shop, now + state.AccessTokenLifetime);
        var refresh = "shprt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        state.RefreshTokens[refresh] = new FakeShopifyRefresh(shop, now + state.RefreshTokenLifetime);
        response["expires_in"] = (int)state.AccessTokenLifetime.TotalSeconds;
        response["refresh_token"] = refresh;
        response["refresh_token_expires_in"] = (int)state.RefreshTokenLifetime.TotalSeconds;
        return response;
    }

    /// <summary>Shopify accepts the token request as JSON or as a form.</summary>
    private static async Task<Dictionary<string, string>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.ToDictionary(f => f.Key, f => f.Value.ToString());
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? []
                : document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")]
    private static partial Regex ShopName();
}
