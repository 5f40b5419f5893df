using System.Collections.Concurrent;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// Security headers on every response. The Content Security Policy allows only the app's own scripts and styles
/// (no inline code, no eval), so injected markup cannot run. Framing: none, except in Shopify embedded mode, where
/// the Shopify admin and the store's own myshopify domain may frame the app (and X-Frame-Options, which cannot name
/// origins, is left out).
/// </summary>
public sealed class SecurityHeaders(IOptions<AuthOptions> auth, IServiceScopeFactory scopes)
{
    private const string BasePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The jobs dashboard (Hangfire) ships inline scripts and styles; it is an administrator-only screen.</summary>
    private const string JobsDashboardPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The Creatives page and each ad's page show Meta's ad previews, served from Meta's image CDN; no other page loads outside images.</summary>
    private const string CreativesPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://*.fbcdn.net; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'";

    private const string ShopifyAdmin = "https://admin.shopify.com";

    /// <summary><c>/campaigns/{id}/adsets/{id}/ads/{id}</c>.</summary>
    private static bool IsAdPage(PathString path) =>
        path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var campaigns, _, var adSets, _, var ads, _]
        && campaigns.Equals("campaigns", StringComparison.OrdinalIgnoreCase) && adSets.Equals("adsets", StringComparison.OrdinalIgnoreCase)
        && ads.Equals("ads", StringComparison.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<long, string?> _shopDomains = new();

    /// <summary>
    /// Called when the response starts, with the path the request arrived on (branches such as the jobs dashboard
    /// move part of the path into PathBase by then).
    /// </summary>
    public async Task ApplyAsync(HttpContext context, PathString requestPath)
    {
        var headers = context.Response.Headers;
        var policy = requestPath.StartsWithSegments("/jobs", StringComparison.OrdinalIgnoreCase) ? JobsDashboardPolicy
            : requestPath.StartsWithSegments("/creatives", StringComparison.OrdinalIgnoreCase) || IsAdPage(requestPath) ? CreativesPolicy
            : BasePolicy;
        if (auth.Value.IsShopify)
        {
            var shop = await FindShopDomainAsync(context);
            headers.ContentSecurityPolicy = $"{policy}; frame-ancestors {(shop is null ? "" : "https://" + shop + " ")}{ShopifyAdmin}";
        }
        else
        {
            headers.ContentSecurityPolicy = policy + "; frame-ancestors 'none'";
            headers.XFrameOptions = "DENY";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
        }
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        // Pages and API answers hold store data: never kept by shared caches or the back button after sign-out.
        // Static files set their own caching.
        if (!headers.ContainsKey(HeaderNames.CacheControl) && !Path.HasExtension(requestPath.Value))
        {
            headers.CacheControl = "no-store";
        }
    }

    /// <summary>The signed-in store's myshopify domain, when it has a valid one (it goes into a header).</summary>
    private async Task<string?> FindShopDomainAsync(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<StoreContext>().StoreId is not { } storeId)
        {
            return null;
        }
        if (_shopDomains.TryGetValue(storeId, out var known))
        {
            return known;
        }
        await using var scope = scopes.CreateAsyncScope();
        var domain = await scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().Stores
            .Where(s => s.Id == storeId).Select(s => s.ShopDomain).FirstOrDefaultAsync(context.RequestAborted);
        var valid = domain is not null && ShopDomains.IsValid(domain) ? domain : null;
        _shopDomains[storeId] = valid;
        return valid;
    }
}
