using System.Security.Cryptography;
using System.Text;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>Random secrets for links (invitations) and their stored form: only a SHA-256 hash is kept.</summary>
public static class Secrets
{
    /// <summary>32 random bytes as URL-safe base64 (43 characters).</summary>
    public static string NewUrlSafe() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
