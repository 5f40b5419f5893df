using AdIntel.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Integrations;

/// <summary>
/// Encrypts platform tokens before they are stored (ASP.NET Data Protection; its keys live in the database, so every
/// instance of the app can read them) and decrypts them only where a client needs one. Plain tokens are never stored
/// or logged.
/// </summary>
public sealed class IntegrationTokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AdIntel.Integrations.Tokens.v1");

    public string Protect(string token) => _protector.Protect(token);

    /// <summary>The token, or null when it cannot be decrypted (keys lost or rotated away): the merchant must connect again.</summary>
    public string? Unprotect(string? protectedToken) => _protector.UnprotectOrNull(protectedToken);
}
