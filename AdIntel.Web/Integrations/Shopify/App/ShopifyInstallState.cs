using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// What an install started in this browser expects back from Shopify: the <c>state</c> nonce, the shop, and — in Local
/// mode — the store and account that asked, so the callback attaches the shop to that store only.
/// </summary>
public sealed record ShopifyInstallTicket(string Nonce, string Shop, long? StoreId, long? UserId)
{
    /// <summary>A path on this site to return to once connected (Local mode: e.g. the integrations settings).</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>Set when the cookie is issued; checked against the app's clock.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// Keeps the install ticket in a short-lived cookie, encrypted and signed with Data Protection; the ticket carries its
/// own expiry, so an old cookie is refused even if the browser kept it. HttpOnly, SameSite=Lax (the callback is a
/// top-level navigation from Shopify, which Lax allows), Secure outside development. Shopify's own libraries keep
/// the nonce the same way (a signed <c>shopify_app_state</c> cookie).
/// </summary>
public sealed class ShopifyInstallState(IDataProtectionProvider dataProtection, IHostEnvironment environment, TimeProvider time)
{
    public const string CookieName = "adintel.shopify_install";

    /// <summary>Long enough to read Shopify's consent screen; short enough that a stolen cookie is soon useless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("AdIntel.Integrations.Shopify.InstallState.v1");

    /// <summary>15 random alphanumeric characters, like Shopify's Ruby library (<c>SecureRandom.alphanumeric(15)</c>) but longer.</summary>
    public static string NewNonce() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    public void Issue(HttpContext context, ShopifyInstallTicket ticket)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(ticket with { ExpiresAt = time.GetUtcNow() + Lifetime }));
        context.Response.Cookies.Append(CookieName, value, Options(context));
    }

    /// <summary>The ticket of this browser's install, or null when there is none, it expired or it was tampered with. Always spent.</summary>
    public ShopifyInstallTicket? Take(HttpContext context)
    {
        var value = context.Request.Cookies[CookieName];
        context.Response.Cookies.Delete(CookieName, Options(context));
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var ticket = JsonSerializer.Deserialize<ShopifyInstallTicket>(_protector.Unprotect(value));
            return ticket is null || ticket.ExpiresAt < time.GetUtcNow() ? null : ticket;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps || !(environment.IsDevelopment() || environment.IsEnvironment("Testing")),
        Path = ShopifyAppPaths.Root,
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
