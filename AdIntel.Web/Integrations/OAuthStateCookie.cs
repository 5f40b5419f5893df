using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Integrations;

/// <summary>
/// What an OAuth round trip started in this browser expects back (the <c>state</c> nonce and whatever the callback must
/// know), kept in a short-lived cookie encrypted and signed with Data Protection. The cookie carries its own expiry, so
/// an old one is refused even if the browser kept it, and it is spent on first read. HttpOnly, SameSite=Lax (the callback
/// is a top-level navigation back from the provider, which Lax allows), Secure outside development and tests. Shopify's
/// own libraries keep the nonce the same way (a signed <c>shopify_app_state</c> cookie).
/// </summary>
public sealed class OAuthStateCookie<TTicket>(string name, string path, IDataProtectionProvider dataProtection, IHostEnvironment environment,
    TimeProvider time) where TTicket : class
{
    /// <summary>Long enough to read a consent screen; short enough that a stolen cookie is soon useless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("AdIntel.Integrations.OAuthState", name);

    /// <summary>32 random alphanumeric characters (Shopify's Ruby library uses 15).</summary>
    public static string NewNonce() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    public void Issue(HttpContext context, TTicket ticket)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(new Sealed(ticket, time.GetUtcNow() + Lifetime)));
        context.Response.Cookies.Append(name, value, Options(context));
    }

    /// <summary>This browser's ticket, or null when there is none, it expired or it was tampered with. Always spent.</summary>
    public TTicket? Take(HttpContext context)
    {
        var value = context.Request.Cookies[name];
        context.Response.Cookies.Delete(name, Options(context));
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var sealedTicket = JsonSerializer.Deserialize<Sealed>(_protector.Unprotect(value));
            return sealedTicket is null || sealedTicket.ExpiresAt < time.GetUtcNow() ? null : sealedTicket.Ticket;
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
        Path = path,
        MaxAge = Lifetime,
        IsEssential = true,
    };

    private sealed record Sealed(TTicket Ticket, DateTimeOffset ExpiresAt);
}
