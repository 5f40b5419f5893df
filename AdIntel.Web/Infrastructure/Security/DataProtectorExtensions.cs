using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Infrastructure.Security;

public static class DataProtectorExtensions
{
    /// <summary>The plain secret, or null when there is none or it cannot be decrypted (keys lost or rotated away): it must be entered again.</summary>
    public static string? UnprotectOrNull(this IDataProtector protector, string? protectedValue)
    {
        if (string.IsNullOrEmpty(protectedValue))
        {
            return null;
        }
        try
        {
            return protector.Unprotect(protectedValue);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
