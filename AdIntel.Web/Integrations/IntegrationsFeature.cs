using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Integrations.Meta.Capi;
using AdIntel.Web.Integrations.Meta.Connect;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Integrations.Shopify;
using AdIntel.Web.Integrations.Shopify.Sync;
using AdIntel.Web.Integrations.Shopify.App;
using AdIntel.Web.Integrations.Sync;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.DataProtection;

namespace AdIntel.Web.Integrations;

/// <summary>Clients of the external platforms (Shopify, Meta); their base URLs come from configuration, so fakes slot in.</summary>
public static class IntegrationsFeature
{
    /// <summary>The Meta connect flow (the Shopify app maps its own endpoints).</summary>
    public static IEndpointRouteBuilder MapIntegrationsEndpoints(this IEndpointRouteBuilder app) => app.MapMetaConnect();

    public static IServiceCollection AddIntegrationsFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IntegrationTokenProtector>();
        services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Retries are the client's own (it knows Meta's throttling codes), so no generic resilience handler is stacked on it.
        services.AddHttpClient<MetaGraphClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient<MetaOAuthClient>();
        services.AddSingleton(services => new OAuthStateCookie<MetaConnectTicket>(MetaConnectEndpoints.StateCookie, MetaConnectEndpoints.Root,
            services.GetRequiredService<IDataProtectionProvider>(), services.GetRequiredService<IHostEnvironment>(), services.GetRequiredService<TimeProvider>()));
        services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ShopifyOAuthClient>();
        // Shopify sync (GraphQL Admin API): the client retries and paces itself by the shop's query-cost bucket.
        services.AddOptions<ShopifySyncOptions>().BindConfiguration(ShopifySyncOptions.SectionName);
        services.AddSingleton<ShopifyRateLimiter>();
        services.AddHttpClient<ShopifyAdminClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<ShopifyBulkOperations>();
        services.AddScoped<ShopifyAccessTokens>();
        services.AddScoped<ConnectionAlerts>();
        services.AddScoped<ShopifyProductWriter>();
        services.AddShopifyApp(configuration);

        // Meta: connection, the rules engine's ad-platform port.
        services.AddScoped<MetaConnections>();
        services.AddScoped<MetaAdPlatform>();
        services.AddScoped<IAdPlatform>(sp => sp.GetRequiredService<MetaAdPlatform>());

        // The syncs (run in this order), what runs and records them, and their schedules.
        services.AddIntegrationSync<ShopifySync>();
        services.AddIntegrationSync<MetaSync>();
        // The ads' creatives (copy, call to action, preview), once the ads they belong to are stored.
        services.AddIntegrationSync<MetaCreativesSync>();
        // After the ads: the pixel's status, events by source and Event Match Quality, then tracking health evaluated.
        services.AddIntegrationSync<DatasetQualitySync>();
        // Watched competitors' ads from Meta's Ad Library, once a day each.
        services.AddIntegrationSync<CompetitorAdsSync>();
        services.AddScoped<TestEventSender>();
        services.AddSingleton<IntegrationSyncRunner>();
        services.AddScoped<SyncRunRecorder>();
        services.AddScoped<IRecordedRuns>(s => s.GetRequiredService<SyncRunRecorder>());
        services.AddOptions<IntegrationsOptions>().BindConfiguration(IntegrationsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Cron(0) is not null, "Integrations:SyncIntervalMinutes must divide an hour (5, 10, 15, 20, 30) or be whole hours that divide a day (60, 120, 180, 240, 360, 480, 720, 1440).")
            .ValidateOnStart();
        services.AddSingleton<IntegrationSchedules>();
        services.AddTransient<IntegrationSyncJob>();
        services.AddHostedService<IntegrationSchedules.Startup>();
        return services;
    }
}
