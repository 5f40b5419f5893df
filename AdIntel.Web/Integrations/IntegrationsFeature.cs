using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Integrations.Shopify;

namespace AdIntel.Web.Integrations;

/// <summary>Clients of the external platforms (Shopify, Meta); their base URLs come from configuration, so fakes slot in.</summary>
public static class IntegrationsFeature
{
    public static IServiceCollection AddIntegrationsFeature(this IServiceCollection services)
    {
        services.AddSingleton<IntegrationTokenProtector>();
        services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Retries are the client's own (it knows Meta's throttling codes), so no generic resilience handler is stacked on it.
        services.AddHttpClient<MetaGraphClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient<MetaOAuthClient>();
        services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ShopifyOAuthClient>();
        return services;
    }
}
