using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>The verified claims of an App Bridge session ("ID") token: who is signed in to which shop.</summary>
public sealed record ShopifySession(string Shop, string? UserId, string? SessionId, DateTimeOffset ExpiresAt);

/// <summary>
/// Validates Shopify session tokens (docs/integrations.md#session-tokens): HS256 JWTs signed with the app's client secret, one minute
/// long. Only HS256 is accepted; <c>exp</c>/<c>nbf</c> allow 10 s of clock skew; <c>aud</c> must be our client id; the
/// shop comes from <c>dest</c>, which must be a valid shop domain on the same host as <c>iss</c>.
/// </summary>
public static class ShopifySessionToken
{
    public static readonly TimeSpan ClockLeeway = TimeSpan.FromSeconds(10);

    /// <summary>The session, or null with <paramref name="problem"/> saying why the token was refused.</summary>
    public static ShopifySession? Validate(string? token, string clientId, string clientSecret, DateTimeOffset now, out string? problem)
    {
        problem = Check(token, clientId, clientSecret, now, out var session);
        return problem is null ? session : null;
    }

    private static string? Check(string? token, string clientId, string clientSecret, DateTimeOffset now, out ShopifySession? session)
    {
        session = null;
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || parts.Any(string.IsNullOrEmpty))
        {
            return "not a JWT";
        }
        if (!TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes) || !TryDecode(parts[2], out var signature))
        {
            return "not base64url";
        }
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
            {
                return "algorithm is not HS256";
            }
            var signed = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(signed, signature))
            {
                return "bad signature";
            }
            using var payload = JsonDocument.Parse(payloadBytes);
            var claims = payload.RootElement;
            if (claims.ValueKind != JsonValueKind.Object)
            {
                return "claims are not an object";
            }
            if (Seconds(claims, "exp") is not { } exp || now > DateTimeOffset.FromUnixTimeSeconds(exp) + ClockLeeway)
            {
                return "expired";
            }
            if (Seconds(claims, "nbf") is { } nbf && now < DateTimeOffset.FromUnixTimeSeconds(nbf) - ClockLeeway)
            {
                return "not valid yet";
            }
            if (Text(claims, "aud") != clientId)
            {
                return "issued for another app";
            }
            var dest = Text(claims, "dest");
            if (dest is null || !dest.StartsWith("https://", StringComparison.Ordinal) || !ShopDomain.TryNormalize(dest, out var shop))
            {
                return "dest is not a shop";
            }
            var iss = Text(claims, "iss");
            if (iss is null || !Uri.TryCreate(iss, UriKind.Absolute, out var issuer) || !string.Equals(issuer.Host, shop, StringComparison.OrdinalIgnoreCase))
            {
                return "iss and dest differ";
            }
            session = new ShopifySession(shop, Text(claims, "sub"), Text(claims, "sid"), DateTimeOffset.FromUnixTimeSeconds(exp));
            return null;
        }
        catch (JsonException)
        {
            return "malformed JSON";
        }
    }

    private static long? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) ? seconds : null;

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryDecode(string base64Url, out byte[] bytes)
    {
        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
