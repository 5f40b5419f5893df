using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>The Shopify app: install and sign-in, webhooks (privacy topics included) and the privacy requests list.</summary>
public static class ShopifyAppFeature
{
    public static IServiceCollection AddShopifyApp(this IServiceCollection services, IConfiguration configuration)
    {
        if ((configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions()).IsShopify)
        {
            // The merchant's session when the app runs embedded in the Shopify admin (Auth:Mode=Shopify).
            services.AddAuthentication().AddCookie(ShopifySessionAuthentication.SchemeName);
            services.AddOptions<CookieAuthenticationOptions>(ShopifySessionAuthentication.SchemeName)
                .Configure<IHostEnvironment>(ShopifySessionAuthentication.Configure);
        }
        // Path "/": the install and its callback live under ShopifyAppPaths.Root and under the API aliases alike.
        services.AddSingleton(services => new OAuthStateCookie<ShopifyInstallTicket>(ShopifyInstallTicket.CookieName, "/",
            services.GetRequiredService<IDataProtectionProvider>(), services.GetRequiredService<IHostEnvironment>(), services.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ShopifyConnections>();
        services.AddSingleton<ShopifyWebhookProcessor>();
        services.AddSingleton<ShopifyFactsRefresher>();
        services.AddScoped<ShopifyCompliance>();
        return services;
    }

    /// <summary>Maps the app's pages on <paramref name="app"/> and its API endpoints on <paramref name="api"/> (the /api group).</summary>
    public static void MapShopifyApp(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapShopifyInstallEndpoints();
        app.MapShopifyWebhookEndpoint();
        api.MapShopifyMeEndpoint();
        api.MapComplianceRequestEndpoints();
    }
}
