using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Integrations.Meta.Capi;

/// <summary>
/// The Conversions API's <c>user_data</c>, normalised and SHA-256 hashed exactly as Meta's SDK does it
/// (docs/tracking.md#conversions-api): every value lower-cased and trimmed, then per key — e-mail validated, phone reduced
/// to its digits with the country code (no <c>+</c>, no leading zeros), city and state without digits, dots, spaces,
/// dashes and brackets, ZIP before its dash, country two letters, gender m/f, birth date YYYYMMDD — and hashed as
/// lowercase hex. A value that already is an MD5 or SHA-256 hex digest passes unchanged; IP address, user agent,
/// <c>fbp</c> and <c>fbc</c> are sent as they are. <c>external_id</c> is hashed too, as Meta recommends.
/// </summary>
public static partial class CapiUserData
{
    /// <summary>The keys that are hashed.</summary>
    public static readonly IReadOnlyList<string> HashedKeys = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"];

    /// <summary>The normalised value Meta hashes, or null when the value cannot be one of <paramref name="key"/>.</summary>
    public static string? Normalize(string key, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var value = raw.Trim().ToLowerInvariant();
        switch (key)
        {
            case "em":
                return EmailShape().IsMatch(value) ? value : null;
            case "ph":
                var digits = PhoneNoise().Replace(value, "").TrimStart('+');
                for (var zeros = 0; zeros < 2 && digits.StartsWith('0'); zeros++)
                {
                    digits = digits[1..];
                }
                return PhoneShape().IsMatch(digits) ? digits : null;
            case "ge":
                return value is "m" or "f" ? value : null;
            case "db":
                return DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? value : null;
            case "ct" or "st":
                var place = PlaceNoise().Replace(value, "");
                return place.Length > 0 ? place : null;
            case "zp":
                var zip = Whitespace().Replace(value, "").Split('-')[0];
                return zip.Length > 0 ? zip : null;
            case "country":
                var letters = new string([.. value.Where(char.IsAsciiLetter)]);
                return letters.Length == 2 ? letters : null;
            case "fn" or "ln" or "external_id":
                return value;
            default:
                throw new ArgumentOutOfRangeException(nameof(key), key, "not a hashed user_data key");
        }
    }

    /// <summary>The value as Meta wants it: the SHA-256 hex of its normalised form (a digest passes as is); null when invalid.</summary>
    public static string? Hash(string key, string? raw)
    {
        if (raw is not null && Digest().IsMatch(raw.Trim()))
        {
            return raw.Trim().ToLowerInvariant();
        }
        return Normalize(key, raw) is { } normalized ? Sha256(normalized) : null;
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The <c>user_data</c> object: hashed keys as arrays (Meta's multi-value form, duplicates removed), the rest as given;
    /// values that cannot be normalised are left out and named in <paramref name="rejected"/>.
    /// </summary>
    public static JsonObject Build(IReadOnlyDictionary<string, string?> customer, out IReadOnlyList<string> rejected)
    {
        var user = new JsonObject();
        var refused = new List<string>();
        foreach (var (key, raw) in customer)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            if (HashedKeys.Contains(key))
            {
                if (Hash(key, raw) is { } hashed)
                {
                    user[key] = new JsonArray(hashed);
                }
                else
                {
                    refused.Add(key);
                }
            }
            else
            {
                user[key] = raw.Trim();
            }
        }
        rejected = refused;
        return user;
    }

    [GeneratedRegex(@"^.+@.+\..+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex PhoneNoise();

    [GeneratedRegex(@"^\d{1,4}\(?\d{2,3}\)?\d{4,}$")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"[\d.\s\-()]")]
    private static partial Regex PlaceNoise();

    [GeneratedRegex(@"\s")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^([0-9a-fA-F]{32}|[0-9a-fA-F]{64})$")]
    private static partial Regex Digest();
}
