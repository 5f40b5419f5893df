using System.Security.Cryptography;
using System.Text;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>
/// <c>appsecret_proof</c> (docs/integrations.md#graph-api-calls): lowercase hex HMAC-SHA256 of the access token keyed with the app secret,
/// sent with every Graph API call so a leaked token is useless without the secret.
/// </summary>
public static class MetaAppSecretProof
{
    public static string Compute(string accessToken, string appSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken)));

    /// <summary>The time-bound variant: the message is <c>token|unix_time</c>, sent with <c>appsecret_time</c>.</summary>
    public static string Compute(string accessToken, string appSecret, long unixTime) =>
        Compute(accessToken + "|" + unixTime.ToString(System.Globalization.CultureInfo.InvariantCulture), appSecret);

    /// <summary>Checks a proof in constant time (the fake Graph API uses this, as Meta does).</summary>
    public static bool IsValid(string accessToken, string appSecret, string? proof) =>
        proof is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(accessToken, appSecret)), Encoding.ASCII.GetBytes(proof.ToLowerInvariant()));
}
