using System.Security.Cryptography;
using System.Text;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>
/// Shopify's two HMAC schemes (docs/integrations.md#oauth-and-install, #webhooks): the OAuth/app-launch query string signed as sorted
/// <c>key=value</c> pairs (hex digest), and webhooks signed over the raw body (base64 digest). Both keyed with the app's
/// client secret; both compared in constant time.
/// </summary>
public static class ShopifySignatures
{
    /// <summary>How far an install or callback's <c>timestamp</c> may be from now (Shopify's own libraries use 90 s).</summary>
    public static readonly TimeSpan QueryClockTolerance = TimeSpan.FromSeconds(90);

    /// <summary>The message Shopify signs for a query: every pair but <c>hmac</c>/<c>signature</c>, sorted by key.</summary>
    public static string QueryMessage(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Where(p => p.Key is not "hmac" and not "signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Escape(p.Key, isKey: true) + "=" + Escape(p.Value, isKey: false)));

    /// <summary>Lowercase hex HMAC-SHA256 of the query's message.</summary>
    public static string SignQuery(IEnumerable<KeyValuePair<string, string>> query, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(QueryMessage(query))));

    /// <summary>
    /// True when the query's <c>hmac</c> matches and its <c>timestamp</c> is within <see cref="QueryClockTolerance"/> of
    /// <paramref name="now"/>.
    /// </summary>
    public static bool IsValidQuery(IReadOnlyCollection<KeyValuePair<string, string>> query, string secret, DateTimeOffset now)
    {
        var hmac = query.FirstOrDefault(p => p.Key == "hmac").Value;
        var timestamp = query.FirstOrDefault(p => p.Key == "timestamp").Value;
        if (string.IsNullOrEmpty(hmac) || !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > QueryClockTolerance)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(SignQuery(query, secret));
        var given = Encoding.ASCII.GetBytes(hmac.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Base64 HMAC-SHA256 of a webhook's raw body, as sent in <c>X-Shopify-Hmac-Sha256</c>.</summary>
    public static string SignWebhook(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Checks a webhook's header against its raw body (never against re-serialised JSON).</summary>
    public static bool IsValidWebhook(ReadOnlySpan<byte> body, string? header, string secret)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(header.Trim(), given, out var length) || length != 32)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given[..length]);
    }

    // Form encoding as the official libraries re-serialise: only what would break the pair syntax is escaped.
    private static string Escape(string value, bool isKey)
    {
        var escaped = value.Replace("%", "%25", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal);
        return isKey ? escaped.Replace("=", "%3D", StringComparison.Ordinal) : escaped;
    }
}
