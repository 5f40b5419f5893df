using System.Security.Claims;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// Auth:Mode=Shopify: merchants sign in through their shop. A session starts only after Shopify itself vouched for
/// the merchant — a completed OAuth callback (code exchanged) or a valid App Bridge session token — and is a cookie
/// naming the store and the shop, as the store's owner. Every request checks the store still exists and its Shopify
/// connection to that shop is still connected, so an uninstall (app/uninstalled) or a disconnect ends the session.
/// </summary>
public static class ShopifySessionAuthentication
{
    public const string SchemeName = AuthServiceCollectionExtensions.ShopifySessionScheme;

    /// <summary>The shop the session was started through.</summary>
    public const string ShopClaim = "adintel:shop";

    public static void Configure(CookieAuthenticationOptions options, IHostEnvironment environment)
    {
        var local = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        options.Cookie.Name = "adintel.shopify_session";
        options.Cookie.HttpOnly = true;
        // Embedded in the Shopify admin the app is a cross-site frame, where only SameSite=None (and so Secure)
        // cookies are sent. Plain-HTTP development cannot set those, so it keeps Lax (the app then works top-level).
        options.Cookie.SameSite = local ? SameSiteMode.Lax : SameSiteMode.None;
        options.Cookie.SecurePolicy = local ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.ExpireTimeSpan = TimeSpan.FromHours(12);
        options.SlidingExpiration = true;
        options.LoginPath = ShopifyAppPaths.Install;
        options.AccessDeniedPath = "/Error";
        options.Events.OnValidatePrincipal = ValidateAsync;
        options.Events.OnRedirectToLogin = context => AuthServiceCollectionExtensions.RefuseAsync(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => AuthServiceCollectionExtensions.RefuseAsync(context, StatusCodes.Status403Forbidden);
    }

    /// <summary>Starts the merchant's session in <paramref name="storeId"/> (replacing any other, e.g. another shop's).</summary>
    public static Task SignInAsync(HttpContext context, long storeId, string shop) =>
        context.SignInAsync(SchemeName, AdIntelClaims.Create(SchemeName, storeId, StoreRole.Owner, shop, new Claim(ShopClaim, shop)),
            new AuthenticationProperties { IsPersistent = false });

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var shop = principal?.FindFirstValue(ShopClaim);
        if (principal?.GetStoreId() is not { } storeId || shop is null)
        {
            await RejectAsync(context);
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<AdIntelDbContext>();
        var connected = await db.IntegrationConnections.IgnoreQueryFilters().AnyAsync(c =>
            c.StoreId == storeId && c.Provider == IntegrationProviders.Shopify && c.ExternalAccountId == shop
            && c.Status != IntegrationStatuses.Disconnected, context.HttpContext.RequestAborted);
        if (!connected)
        {
            await RejectAsync(context);
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(SchemeName);
    }
}
